package dev.semlb.classifier.embedding;

/** Small vector helpers for unit-length float vectors. Stateless. */
public final class Vectors {

  private Vectors() {}

  /** A copy of {@code v} scaled to unit length (a zero vector stays zero). */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += x * x;
    }
    float[] out = v.clone();
    if (sum == 0) {
      return out;
    }
    float scale = (float) (1 / Math.sqrt(sum));
    for (int i = 0; i < out.length; i++) {
      out[i] *= scale;
    }
    return out;
  }

  /** Dot product; the cosine similarity of unit vectors. Four accumulators for speed. */
  public static float dot(float[] a, float[] b) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    int n = Math.min(a.length, b.length);
    for (; i + 3 < n; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < n; i++) {
      s0 += a[i] * b[i];
    }
    return s0 + s1 + s2 + s3;
  }
}
