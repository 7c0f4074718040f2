package io.rapace.core.codec;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** Java mirrors of the Rust types the postcard vectors use. */
final class VectorTypes {

    private VectorTypes() {
    }

    /** {@code struct Point { x: i32, y: i32 }}. */
    record Point(int x, int y) {
    }

    /** {@code struct Item { id: u64, name: String, tags: Vec<String>, price: Option<f64> }}. */
    record Item(@Unsigned long id, String name, List<String> tags, @Nullable Double price) {
    }

    /** {@code enum Color { Red, Green, Blue }}. */
    enum Color {
        RED, GREEN, BLUE
    }

    /** {@code enum Shape { Circle { r: f64 }, Rect { w: u32, h: u32 } }}. */
    sealed interface Shape permits Circle, Rect {
    }

    /** {@code Shape::Circle}. */
    record Circle(double r) implements Shape {
    }

    /** {@code Shape::Rect}. */
    record Rect(@Unsigned int w, @Unsigned int h) implements Shape {
    }
}
