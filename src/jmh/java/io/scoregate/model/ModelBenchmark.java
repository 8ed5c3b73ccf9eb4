package io.scoregate.model;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One company through the shipped model, as the model verticle does it: the PD alone, and the PD
 * with its exact contributions and reasons. Companies are the rows of the training file, taken in
 * turn so that every path through the trees is exercised. Sample mode: JMH reports percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ModelBenchmark {

  private ScoringModel model;
  private double[][] companies;
  private int next;

  @Setup
  public void load() throws Exception {
    model = ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE);
    String data =
        System.getProperty(
            "scoregate.jmh.data", "../shared/data/polish-5year-train.csv");
    TrainingData training = TrainingData.read(Path.of(data));
    companies = training.rows();
  }

  private double[] company() {
    next = next + 1 == companies.length ? 0 : next + 1;
    return companies[next];
  }

  @Benchmark
  public double score() {
    return model.pd(company());
  }

  @Benchmark
  public List<Reason> scoreWithExplanation() {
    double[] x = company();
    Prediction prediction = model.predict(x);
    return model.reasons(x, prediction, 5);
  }
}
