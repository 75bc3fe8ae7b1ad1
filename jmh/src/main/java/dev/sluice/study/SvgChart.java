package dev.sluice.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small line chart written as SVG: x on a log scale (connection counts), y linear from zero or, with
 * {@link #logY()}, on a log scale too (latencies that span 10 µs to 100 ms), one coloured series per
 * server, a legend. Enough for the study's three pictures, and no dependency.
 *
 * <p>Thread: one caller.
 */
final class SvgChart {
    private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int W = 720;
    private static final int H = 420;
    private static final int LEFT = 80;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private boolean logY;

    SvgChart(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Puts y on a log scale (decades); points at or below zero are left out. */
    SvgChart logY() {
        logY = true;
        return this;
    }

    void add(String name, double x, double y) {
        if (logY && y <= 0) {
            return;
        }
        if (x > 0 && y >= 0 && !Double.isNaN(y)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {x, y});
        }
    }

    String render() {
        double minX = Double.MAX_VALUE;
        double maxX = 1;
        double maxY = 0;
        double minY = Double.MAX_VALUE;
        for (List<double[]> pts : series.values()) {
            for (double[] p : pts) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                maxY = Math.max(maxY, p[1]);
                minY = Math.min(minY, p[1]);
            }
        }
        // Log y: whole decades around the data; linear y: zero to a round ceiling.
        double yLo = logY ? Math.floor(Math.log10(minY == Double.MAX_VALUE ? 1 : minY)) : 0;
        double yHi = logY ? Math.max(yLo + 1, Math.ceil(Math.log10(Math.max(maxY, 1e-9)))) : 0;
        if (minX == Double.MAX_VALUE) {
            minX = 1;
        }
        double lo = Math.log10(minX);
        double hi = Math.max(lo + 1, Math.log10(maxX));
        double top = niceCeiling(maxY);
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>%n", LEFT, esc(title)));
        int ticks = logY ? (int) (yHi - yLo) : 5;
        for (int i = 0; i <= ticks; i++) {
            double v = logY ? Math.pow(10, yLo + i) : top * i / 5;
            double y = TOP + plotH - plotH * i / (double) ticks;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotW, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, label(v)));
        }
        for (int e = (int) Math.floor(lo); e <= (int) Math.ceil(hi); e++) {
            double x = LEFT + plotW * (e - lo) / (hi - lo);
            if (x < LEFT - 0.5 || x > LEFT + plotW + 0.5) {
                continue;
            }
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>%n", x, TOP, x, TOP + plotH));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", x, TOP + plotH + 16, label(Math.pow(10, e))));
        }
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>%n", LEFT, TOP, plotW, plotH));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n", LEFT + plotW / 2, H - 12, esc(xLabel)));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(18,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>%n", TOP + plotH / 2, esc(yLabel)));
        int k = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            String colour = COLOURS[k % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (double[] p : e.getValue()) {
                double x = LEFT + plotW * (Math.log10(p[0]) - lo) / (hi - lo);
                double y = logY ? TOP + plotH - plotH * (Math.log10(p[1]) - yLo) / (yHi - yLo)
                        : TOP + plotH - plotH * (top == 0 ? 0 : p[1] / top);
                path.append(path.length() == 0 ? "M" : " L").append(String.format(Locale.ROOT, "%.1f %.1f", x, y));
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y, colour));
            }
            s.append(String.format(Locale.ROOT, "<path d=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", path, colour));
            int ly = TOP + 10 + 20 * k;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                    LEFT + plotW + 12, ly, LEFT + plotW + 32, ly, colour));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotW + 38, ly + 4, esc(e.getKey())));
            k++;
        }
        return s.append("</svg>\n").toString();
    }

    private static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * mag >= v) {
                return step * mag;
            }
        }
        return 10 * mag;
    }

    private static String label(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.0fk", v / 1e3);
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
