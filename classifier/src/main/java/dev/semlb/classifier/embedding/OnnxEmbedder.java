package dev.semlb.classifier.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded sentence model ({@link EmbeddingModel}: quantized e5-small-v2 or all-MiniLM-L6-v2,
 * 384 dimensions, mean pooling), loaded from its LangChain4j artifact on the classpath; nothing is
 * downloaded at run time. E5 was trained with a {@code "query: "} prefix on both sides of symmetric
 * tasks, so with it every text is embedded with that prefix. The model's id is recorded in every
 * trained head model, which is refused on load by a config that runs another model.
 *
 * <p>ONNX Runtime runs each call on one thread ({@code intraOpNumThreads=1}): measured on 2 cores,
 * that gave 971 calls/s at ~20 tokens with two caller threads, against 563/s with ONNX's default of
 * spreading each call over every core. Callers get parallelism by calling from several threads.
 * Thread-safe (an ORT session may be shared).
 *
 * <p>The tokenizer library (DJL) would otherwise try to reach a cloud metadata service at start-up;
 * it is told to stay offline before it loads.
 */
public final class OnnxEmbedder implements TextEmbedder {

  private static final Logger log = LoggerFactory.getLogger(OnnxEmbedder.class);

  /** The embedding's dimensions (every shipped model has 384). */
  public static final int DIMENSIONS = 384;

  private final Model model;
  private final EmbeddingModel which;

  private OnnxEmbedder(Model model, EmbeddingModel which) {
    this.model = model;
    this.which = which;
  }

  /** Loads the {@link EmbeddingModel#DEFAULT} model. */
  public static OnnxEmbedder load() {
    return load(EmbeddingModel.DEFAULT);
  }

  @Override
  public EmbeddingModel model() {
    return which;
  }

  /** Loads {@code which} and runs one warm-up call. */
  public static OnnxEmbedder load(EmbeddingModel which) {
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("offline", "true");
    long start = System.nanoTime();
    try (InputStream onnx = resource(which.onnxResource(), which);
        InputStream tokenizer = resource(which.tokenizerResource(), which)) {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      OrtSession.SessionOptions options = new OrtSession.SessionOptions();
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      OrtSession session = env.createSession(onnx.readAllBytes(), options);
      OnnxEmbedder embedder =
          new OnnxEmbedder(
              new Model(new OnnxBertBiEncoder(env, session, tokenizer, PoolingMode.MEAN)), which);
      embedder.embed("warm up");
      log.info(
          "embedding model {} loaded in {} ms",
          which.label(),
          (System.nanoTime() - start) / 1_000_000);
      return embedder;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (OrtException e) {
      throw new IllegalStateException("cannot load the embedding model: " + e.getMessage(), e);
    }
  }

  private static InputStream resource(String name, EmbeddingModel which) {
    InputStream in = OnnxEmbedder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(
          name + " is not on the classpath (dev.langchain4j:" + which.artifact() + ")");
    }
    return in;
  }

  @Override
  public float[] embed(String text) {
    float[] vector = model.embed(which.prefix() + text).content().vector();
    return Vectors.normalize(vector);
  }

  /** LangChain4j's model base, given our own session. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(null);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }

    @Override
    protected Integer knownDimension() {
      return DIMENSIONS;
    }
  }
}
