package io.scoregate.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV of ratios with a 0/1 {@code bankrupt} label, in the shape of the training file: a header
 * row naming the columns, an empty cell for a missing value.
 */
public record TrainingData(List<String> featureNames, double[][] rows, int[] labels) {

  public static final String LABEL = "bankrupt";

  public int size() {
    return labels.length;
  }

  public int defaults() {
    return Arrays.stream(labels).sum();
  }

  /** The same rows with only the named features, in that order. */
  public TrainingData select(List<String> names) {
    int[] index = names.stream().mapToInt(featureNames::indexOf).toArray();
    double[][] out = new double[rows.length][index.length];
    for (int r = 0; r < rows.length; r++) {
      for (int j = 0; j < index.length; j++) {
        out[r][j] = rows[r][index[j]];
      }
    }
    return new TrainingData(List.copyOf(names), out, labels);
  }

  public static TrainingData read(Path csv) throws IOException {
    return read(csv, true);
  }

  /**
   * Reads a features file; without {@code labelRequired}, a file with no label column (a scoring
   * population) reads with every label 0.
   */
  public static TrainingData read(Path csv, boolean labelRequired) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      String header = in.readLine();
      if (header == null) {
        throw new IOException(csv + " is empty");
      }
      String[] columns = header.trim().split(",", -1);
      int labelColumn = Arrays.asList(columns).indexOf(LABEL);
      if (labelColumn < 0 && labelRequired) {
        throw new IOException(csv + " has no '" + LABEL + "' column");
      }
      List<String> names = new ArrayList<>();
      for (int i = 0; i < columns.length; i++) {
        if (i != labelColumn) {
          names.add(columns[i].trim());
        }
      }
      List<double[]> rows = new ArrayList<>();
      List<Integer> labels = new ArrayList<>();
      String line;
      int lineNumber = 1;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        if (cells.length != columns.length) {
          throw new IOException(
              "line " + lineNumber + " has " + cells.length + " cells, expected " + columns.length);
        }
        double[] row = new double[names.size()];
        int k = 0;
        for (int i = 0; i < cells.length; i++) {
          if (i == labelColumn) {
            labels.add((int) Double.parseDouble(cells[i].trim()));
          } else {
            row[k++] = parseCell(cells[i]);
          }
        }
        if (labelColumn < 0) {
          labels.add(0);
        }
        rows.add(row);
      }
      return new TrainingData(
          List.copyOf(names),
          rows.toArray(new double[0][]),
          labels.stream().mapToInt(Integer::intValue).toArray());
    }
  }

  /** An empty or non-numeric cell (e.g. "?") is a missing value. */
  static double parseCell(String cell) {
    String c = cell.trim();
    if (c.isEmpty() || c.equals("?") || c.equalsIgnoreCase("nan")) {
      return Double.NaN;
    }
    try {
      double v = Double.parseDouble(c);
      return Double.isFinite(v) ? v : Double.NaN;
    } catch (NumberFormatException e) {
      return Double.NaN;
    }
  }
}
