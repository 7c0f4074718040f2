package io.rapace.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * Draws latency percentile curves into a PNG with {@code java.awt} alone (headless): x is the percentile from
 * 50 to 99.99 on the scale {@code log10(1 / (1 - p))}, y is microseconds on a log scale, one curve per
 * percentile file written by a harness's {@code --hist-out} ({@link BenchResult#writeHistogram}).
 *
 * <pre>
 * java -cp rapace-benchmarks.jar io.rapace.benchmarks.report.LatencyChart OUT.png [--title=TEXT] FILE.csv...
 * </pre>
 *
 * <p>The curve's label is the file's {@code # label:} header line, else its file name.
 */
public final class LatencyChart {

    private static final int WIDTH = 1200;

    private static final int HEIGHT = 720;

    private static final int LEFT = 90;

    private static final int RIGHT = 330;

    private static final int TOP = 60;

    private static final int BOTTOM = 70;

    private static final double[] X_TICKS = {50, 90, 99, 99.9, 99.99};

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf), new Color(0x000000), new Color(0x393b79), new Color(0xad494a),
            new Color(0x637939)};

    private LatencyChart() {
    }

    /** One contender's percentile curve. */
    record Curve(String label, double[] percentiles, double[] micros) {
    }

    /** Reads the files and writes the chart. */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length < 2) {
            System.err.println("usage: LatencyChart OUT.png [--title=TEXT] FILE.csv...");
            System.exit(2);
        }
        String title = "Round-trip latency by percentile";
        List<Curve> curves = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--title=")) {
                title = args[i].substring("--title=".length());
            }
            else {
                Curve curve = read(Path.of(args[i]));
                if (curve.percentiles().length > 0) {
                    curves.add(curve);
                }
            }
        }
        draw(curves, title, Path.of(args[0]));
    }

    static Curve read(Path file) throws IOException {
        String label = file.getFileName().toString().replaceFirst("\\.csv$", "");
        List<double[]> points = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (trimmed.startsWith("#")) {
                int colon = trimmed.indexOf(':');
                if (colon > 1) {
                    label = trimmed.substring(1, colon).trim();
                }
                continue;
            }
            String[] parts = trimmed.split("[,\\s]+");
            if (parts.length == 2) {
                try {
                    double p = Double.parseDouble(parts[0]);
                    double us = Double.parseDouble(parts[1]);
                    if (p < 100 && us > 0) {
                        points.add(new double[] {p, us});
                    }
                }
                catch (NumberFormatException ex) {
                    // "max,..." or a header: not a point of the curve
                }
            }
        }
        return new Curve(label, points.stream().mapToDouble(pt -> pt[0]).toArray(),
                points.stream().mapToDouble(pt -> pt[1]).toArray());
    }

    static double xValue(double percentile) {
        return Math.log10(100.0 / (100.0 - percentile));
    }

    /** Writes the PNG. */
    static void draw(List<Curve> curves, String title, Path out) throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        double minUs = Double.MAX_VALUE;
        double maxUs = 0;
        for (Curve curve : curves) {
            for (double us : curve.micros()) {
                minUs = Math.min(minUs, us);
                maxUs = Math.max(maxUs, us);
            }
        }
        if (curves.isEmpty()) {
            minUs = 1;
            maxUs = 10;
        }
        int yLow = (int) Math.floor(Math.log10(minUs));
        int yHigh = Math.max(yLow + 1, (int) Math.ceil(Math.log10(maxUs)));
        double xLow = xValue(50);
        double xHigh = xValue(99.99);
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        FontMetrics metrics = g.getFontMetrics();

        // Grid and axes.
        g.setStroke(new BasicStroke(1f));
        for (int decade = yLow; decade <= yHigh; decade++) {
            for (int m = 1; m < 10 && (decade < yHigh || m == 1); m++) {
                double v = Math.log10(m * Math.pow(10, decade));
                int y = TOP + plotH - (int) Math.round((v - yLow) / (yHigh - yLow) * plotH);
                g.setColor(m == 1 ? new Color(0xbbbbbb) : new Color(0xeeeeee));
                g.drawLine(LEFT, y, LEFT + plotW, y);
                if (m == 1) {
                    g.setColor(Color.BLACK);
                    String text = formatMicros(Math.pow(10, decade));
                    g.drawString(text, LEFT - 8 - metrics.stringWidth(text), y + 5);
                }
            }
        }
        for (double tick : X_TICKS) {
            int x = LEFT + (int) Math.round((xValue(tick) - xLow) / (xHigh - xLow) * plotW);
            g.setColor(new Color(0xbbbbbb));
            g.drawLine(x, TOP, x, TOP + plotH);
            g.setColor(Color.BLACK);
            String text = new java.text.DecimalFormat("0.##").format(tick);
            g.drawString(text, x - metrics.stringWidth(text) / 2, TOP + plotH + 20);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, plotW, plotH);
        String xLabel = "percentile";
        g.drawString(xLabel, LEFT + plotW / 2 - metrics.stringWidth(xLabel) / 2, TOP + plotH + 45);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("latency, µs (log scale)", -(TOP + plotH / 2 + 70), 25);
        rotated.dispose();

        // Curves and legend.
        int legendY = TOP + 10;
        for (int c = 0; c < curves.size(); c++) {
            Curve curve = curves.get(c);
            Color color = PALETTE[c % PALETTE.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND,
                    10f, c >= PALETTE.length ? new float[] {6f, 4f} : null, 0f));
            Path2D.Double path = new Path2D.Double();
            for (int i = 0; i < curve.percentiles().length; i++) {
                double p = curve.percentiles()[i];
                if (p < 50 || p > 99.99 + 1e-9) {
                    continue;
                }
                double x = LEFT + (xValue(p) - xLow) / (xHigh - xLow) * plotW;
                double y = TOP + plotH - (Math.log10(curve.micros()[i]) - yLow) / (yHigh - yLow) * plotH;
                if (path.getCurrentPoint() == null) {
                    path.moveTo(x, y);
                }
                else {
                    path.lineTo(x, y);
                }
            }
            g.draw(path);
            g.drawLine(LEFT + plotW + 15, legendY - 4, LEFT + plotW + 40, legendY - 4);
            g.setColor(Color.BLACK);
            g.drawString(curve.label(), LEFT + plotW + 46, legendY);
            legendY += 20;
        }
        g.dispose();
        if (out.getParent() != null) {
            Files.createDirectories(out.getParent());
        }
        ImageIO.write(image, "png", out.toFile());
        System.out.println("wrote " + out + " (" + curves.size() + " curves)");
    }

    private static String formatMicros(double us) {
        if (us >= 1000) {
            return String.format(Locale.ROOT, "%.0f ms", us / 1000);
        }
        return us >= 1 ? String.format(Locale.ROOT, "%.0f µs", us) : String.format(Locale.ROOT, "%.1f µs", us);
    }
}
