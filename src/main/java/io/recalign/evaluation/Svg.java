package io.recalign.evaluation;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

/**
 * Small inline SVG charts for the report: grouped bars and line panels. Every text passes through
 * {@link #escape}; the markup is well-formed XML so it embeds in XHTML-compatible pages.
 */
final class Svg {

    static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac");

    private static final int BAR_WIDTH = 560;
    private static final int BAR_HEIGHT = 220;
    private static final int LINE_WIDTH = 380;
    private static final int LINE_HEIGHT = 230;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 40;
    private static final int BOTTOM = 40;

    /** One bar: its label, value (null when the row has no value) and palette index. */
    record Bar(String label, Double value, int color) {
    }

    /** One line: its name and points (x ascending). */
    record Line(String name, List<double[]> points) {
    }

    private Svg() {
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // characters XML does not allow become a replacement character
                    boolean allowed = c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c != 0xFFFE && c != 0xFFFF;
                    out.append(allowed ? c : '\uFFFD');
                }
            }
        }
        return out.toString();
    }

    /** A bar per row; the y axis runs from 0 to {@code max} (or the largest value when max is null). */
    static String bars(String title, List<Bar> bars, Double max) {
        double largest = bars.stream().filter(b -> b.value() != null).mapToDouble(Bar::value).max().orElse(0);
        double top = max != null ? Math.max(max, largest) : niceCeiling(largest);
        int plotWidth = BAR_WIDTH - LEFT - RIGHT;
        int plotHeight = BAR_HEIGHT - TOP - BOTTOM;
        StringBuilder svg = open(BAR_WIDTH, BAR_HEIGHT, title);
        axes(svg, plotWidth, plotHeight, 0, top);
        double slot = (double) plotWidth / Math.max(1, bars.size());
        double width = Math.min(60, slot * 0.7);
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double x = LEFT + slot * i + (slot - width) / 2;
            String label = bar.value() == null ? "n/a" : number(bar.value());
            double height = bar.value() == null ? 0 : plotHeight * Math.min(1, Math.max(0, bar.value() / top));
            double y = TOP + plotHeight - height;
            svg.append(String.format(Locale.ROOT,
                    "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>",
                    x, y, width, height, color(bar.color()), escape(bar.label()), escape(label)));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"11\">%s</text>",
                    x + width / 2, y - 4, escape(label)));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\">%s</text>",
                    x + width / 2, BAR_HEIGHT - BOTTOM + 16, escape(shorten(bar.label(), (int) (slot / 6.5)))));
        }
        return svg.append("</svg>").toString();
    }

    /** Lines over a shared x axis, with their own y range. */
    static String lines(String title, String xLabel, List<Line> lines) {
        int plotWidth = LINE_WIDTH - LEFT - RIGHT;
        int plotHeight = LINE_HEIGHT - TOP - BOTTOM;
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (Line line : lines) {
            for (double[] point : line.points()) {
                minX = Math.min(minX, point[0]);
                maxX = Math.max(maxX, point[0]);
                minY = Math.min(minY, point[1]);
                maxY = Math.max(maxY, point[1]);
            }
        }
        if (minX > maxX) {
            minX = 0;
            maxX = 1;
            minY = 0;
            maxY = 1;
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        if (maxY == minY) {
            maxY = minY + Math.max(1e-9, Math.abs(minY) * 0.1 + 1e-3);
        }
        StringBuilder svg = open(LINE_WIDTH, LINE_HEIGHT + 14 * Math.max(0, lines.size() - 1), title);
        axes(svg, plotWidth, plotHeight, minY, maxY);
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" font-size=\"10\">%s</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%s</text>",
                LEFT, TOP + plotHeight + 14, escape(number(minX)), LEFT + plotWidth, TOP + plotHeight + 14, escape(number(maxX))));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>",
                LEFT + plotWidth / 2, TOP + plotHeight + 14, escape(xLabel)));
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            StringBuilder points = new StringBuilder();
            for (double[] point : line.points()) {
                double x = LEFT + plotWidth * (point[0] - minX) / (maxX - minX);
                double y = TOP + plotHeight - plotHeight * (point[1] - minY) / (maxY - minY);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append(String.format(Locale.ROOT,
                    "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" points=\"%s\"><title>%s</title></polyline>",
                    color(i), points.toString().strip(), escape(line.name())));
            int legendY = TOP + plotHeight + 30 + 14 * i;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"3\" fill=\"%s\"/><text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
                    LEFT, legendY - 4, color(i), LEFT + 14, legendY, escape(line.name())));
        }
        return svg.append("</svg>").toString();
    }

    static String color(int index) {
        return PALETTE.get(Math.floorMod(index, PALETTE.size()));
    }

    /** A short label: whole numbers as they are, others with four significant digits, trailing zeros cut. */
    static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e9) {
            return Long.toString((long) value);
        }
        String text = new BigDecimal(value).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        return text.equals("-0") ? "0" : text;
    }

    /** The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least {@code value} (1 for nothing). */
    static double niceCeiling(double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= value * (1 - 1e-12)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\">",
                width, height, width, height));
        svg.append("<title>").append(escape(title)).append("</title>");
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                8, escape(title)));
        return svg;
    }

    private static void axes(StringBuilder svg, int plotWidth, int plotHeight, double low, double high) {
        svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>",
                LEFT, TOP, LEFT, TOP + plotHeight, LEFT, TOP + plotHeight, LEFT + plotWidth, TOP + plotHeight));
        for (int tick = 0; tick <= 4; tick++) {
            double value = low + (high - low) * tick / 4;
            int y = TOP + plotHeight - plotHeight * tick / 4;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%s</text>",
                    LEFT + 1, y, LEFT + plotWidth, y, LEFT - 4, y + 3, escape(number(value))));
        }
    }

    private static String shorten(String text, int length) {
        int keep = Math.max(4, length);
        return text.length() <= keep ? text : text.substring(0, keep - 1) + "\u2026";
    }
}
