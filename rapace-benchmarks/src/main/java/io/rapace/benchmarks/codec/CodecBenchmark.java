package io.rapace.benchmarks.codec;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.rapace.core.codec.Codecs;
import io.rapace.core.codec.PostcardCodec;
import io.rapace.core.codec.PostcardReader;
import io.rapace.core.codec.PostcardWriter;
import io.rapace.core.codec.Unsigned;
import org.jspecify.annotations.Nullable;
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
 * Postcard encode and decode of an {@code Item}-like record (the shape of the golden vector: u64, String,
 * Vec&lt;String&gt;, Option&lt;f64&gt;) and of a small all-primitive record.
 *
 * <p>Run: {@code java -cp <classpath> org.openjdk.jmh.Main CodecBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    /** Mirrors {@code struct Item { id: u64, name: String, tags: Vec<String>, price: Option<f64> }}. */
    public record Item(@Unsigned long id, String name, List<String> tags, @Nullable Double price) {
    }

    /** Mirrors {@code struct Point { x: i32, y: i32 }}. */
    public record Point(int x, int y) {
    }

    private final PostcardCodec<Item> itemCodec = Codecs.of(Item.class);

    private final PostcardCodec<Point> pointCodec = Codecs.of(Point.class);

    private final PostcardWriter writer = new PostcardWriter(256);

    private Item item;

    private byte[] itemBytes;

    private Point point;

    private byte[] pointBytes;

    /** Builds the values and their encodings once. */
    @Setup
    public void setUp() {
        this.item = new Item(42_000_000_000L, "stainless bolt M3x12", List.of("m3", "steel", "din912"), 0.25);
        this.itemBytes = Codecs.encode(this.itemCodec, this.item);
        this.point = new Point(-300_000, 4_000_000);
        this.pointBytes = Codecs.encode(this.pointCodec, this.point);
    }

    /** Encodes the item into a reused writer (the path without a result copy). */
    @Benchmark
    public int encodeItemReusedWriter() {
        PostcardWriter out = this.writer;
        out.reset();
        this.itemCodec.encode(this.item, out);
        return out.size();
    }

    /** Encodes the item into a fresh exact-size array, as {@link Codecs#encode} does. */
    @Benchmark
    public byte[] encodeItemToArray() {
        return Codecs.encode(this.itemCodec, this.item);
    }

    /** Decodes the item from its bytes, rejecting trailing bytes. */
    @Benchmark
    public Item decodeItem() {
        return Codecs.decode(this.itemCodec, this.itemBytes);
    }

    /** Encodes a two-int record into a reused writer. */
    @Benchmark
    public int encodePointReusedWriter() {
        PostcardWriter out = this.writer;
        out.reset();
        this.pointCodec.encode(this.point, out);
        return out.size();
    }

    /** Decodes a two-int record. */
    @Benchmark
    public Point decodePoint() {
        PostcardReader in = new PostcardReader(this.pointBytes);
        Point decoded = this.pointCodec.decode(in);
        in.expectEnd();
        return decoded;
    }
}
