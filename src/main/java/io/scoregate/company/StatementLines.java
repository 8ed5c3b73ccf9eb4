package io.scoregate.company;

/**
 * The raw lines of one fiscal year's financial statements, as filed. {@code Double.NaN} means the
 * line was not filed: it is never read as zero.
 */
public record StatementLines(
    int fiscalYear,
    double totalAssets,
    double fixedAssets,
    double currentAssets,
    double inventory,
    double receivables,
    double cash,
    double shortTermSecurities,
    double equity,
    double shareCapital,
    double retainedEarnings,
    double totalLiabilities,
    double shortTermLiabilities,
    double longTermLiabilities,
    double sales,
    double costOfProductsSold,
    double operatingExpenses,
    double totalCosts,
    double profitOnSales,
    double operatingProfit,
    double financialExpenses,
    double interest,
    double extraordinaryItems,
    double grossProfit,
    double ebit,
    double depreciation,
    double netProfit) {}
