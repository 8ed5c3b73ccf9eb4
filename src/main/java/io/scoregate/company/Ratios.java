package io.scoregate.company;

import java.util.List;
import java.util.stream.IntStream;

/**
 * The 64 financial ratios the model reads (Attr1..Attr64), computed from statement lines with the
 * definitions of the training data ({@code shared/data/polish-attributes.json}), so that a model
 * trained there applies to companies in the store.
 *
 * <p>A ratio built on a line that was not filed stays missing (NaN), never a silent 0, and so does
 * a division by zero: that is also how the training data came to have missing values. The two size
 * measures are in thousands of the statement currency, as in the training data: Attr29 is
 * log10(total assets / 1000) and Attr55 is working capital / 1000.
 */
public final class Ratios {

  public static final int COUNT = 64;

  /** "Attr1" .. "Attr64", in the model's feature order. */
  public static final List<String> NAMES =
      IntStream.rangeClosed(1, COUNT).mapToObj(i -> "Attr" + i).toList();

  private static final double THOUSANDS = 1000.0;

  private Ratios() {}

  /**
   * Ratios of the newest statement; the previous years serve sales growth (Attr21) and the
   * three-year gross profit (Attr24).
   */
  public static double[] compute(List<StatementLines> newestFirst) {
    double[] a = new double[COUNT + 1]; // 1-based like the attribute names
    StatementLines s = newestFirst.get(0);
    double ta = s.totalAssets();
    double tl = s.totalLiabilities();
    double stl = s.shortTermLiabilities();
    double ltl = s.longTermLiabilities();
    double ca = s.currentAssets();
    double inv = s.inventory();
    double rec = s.receivables();
    double sales = s.sales();
    double cogs = s.costOfProductsSold();
    double gp = s.grossProfit();
    double dep = s.depreciation();
    double op = s.operatingProfit();
    double np = s.netProfit();
    double eq = s.equity();
    double fa = s.fixedAssets();
    double wc = ca - stl;
    double constantCapital = eq + ltl;

    a[1] = div(np, ta);
    a[2] = div(tl, ta);
    a[3] = div(wc, ta);
    a[4] = div(ca, stl);
    a[5] = div(s.cash() + s.shortTermSecurities() + rec - stl, s.operatingExpenses() - dep) * 365;
    a[6] = div(s.retainedEarnings(), ta);
    a[7] = div(s.ebit(), ta);
    a[8] = div(eq, tl);
    a[9] = div(sales, ta);
    a[10] = div(eq, ta);
    a[11] = div(gp + s.extraordinaryItems() + s.financialExpenses(), ta);
    a[12] = div(gp, stl);
    a[13] = div(gp + dep, sales);
    a[14] = div(gp + s.interest(), ta);
    a[15] = div(tl * 365, gp + dep);
    a[16] = div(gp + dep, tl);
    a[17] = div(ta, tl);
    a[18] = div(gp, ta);
    a[19] = div(gp, sales);
    a[20] = div(inv * 365, sales);
    a[21] = newestFirst.size() > 1 ? div(sales, newestFirst.get(1).sales()) : Double.NaN;
    a[22] = div(op, ta);
    a[23] = div(np, sales);
    a[24] = div(grossProfitOfThreeYears(newestFirst), ta);
    a[25] = div(eq - s.shareCapital(), ta);
    a[26] = div(np + dep, tl);
    a[27] = div(op, s.financialExpenses());
    a[28] = div(wc, fa);
    a[29] = ta > 0 ? Math.log10(ta / THOUSANDS) : Double.NaN;
    a[30] = div(tl - s.cash(), sales);
    a[31] = div(gp + s.interest(), sales);
    a[32] = div(stl * 365, cogs);
    a[33] = div(s.operatingExpenses(), stl);
    a[34] = div(s.operatingExpenses(), tl);
    a[35] = div(s.profitOnSales(), ta);
    a[36] = div(sales, ta);
    a[37] = div(ca - inv, ltl);
    a[38] = div(constantCapital, ta);
    a[39] = div(s.profitOnSales(), sales);
    a[40] = div(ca - inv - rec, stl);
    a[41] = div(tl, (op + dep) * (12.0 / 365));
    a[42] = div(op, sales);
    a[44] = div(rec * 365, sales);
    a[43] = a[44] + a[20]; // receivable days + inventory days
    a[45] = div(np, inv);
    a[46] = div(ca - inv, stl);
    a[47] = div(inv * 365, cogs);
    a[48] = div(op - dep, ta);
    a[49] = div(op - dep, sales);
    a[50] = div(ca, tl);
    a[51] = div(stl, ta);
    a[52] = div(stl * 365, cogs);
    a[53] = div(eq, fa);
    a[54] = div(constantCapital, fa);
    a[55] = wc / THOUSANDS;
    a[56] = div(sales - cogs, sales);
    a[57] = div(ca - inv - stl, sales - gp - dep);
    a[58] = div(s.totalCosts(), sales);
    a[59] = div(ltl, eq);
    a[60] = div(sales, inv);
    a[61] = div(sales, rec);
    a[62] = div(stl * 365, sales);
    a[63] = div(sales, stl);
    a[64] = div(sales, fa);

    double[] out = new double[COUNT];
    for (int i = 0; i < COUNT; i++) {
      double v = a[i + 1];
      out[i] = Double.isFinite(v) ? v : Double.NaN;
    }
    return out;
  }

  private static double grossProfitOfThreeYears(List<StatementLines> newestFirst) {
    if (newestFirst.size() < 3) {
      return Double.NaN;
    }
    return newestFirst.get(0).grossProfit()
        + newestFirst.get(1).grossProfit()
        + newestFirst.get(2).grossProfit();
  }

  /** Division where a zero (or missing) denominator gives a missing ratio. */
  static double div(double numerator, double denominator) {
    if (denominator == 0 || Double.isNaN(denominator) || Double.isNaN(numerator)) {
      return Double.NaN;
    }
    return numerator / denominator;
  }
}
