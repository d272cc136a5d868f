package io.livepulse.jobs.recap.report;

import io.livepulse.jobs.recap.report.RecapSections.Row;
import io.livepulse.jobs.recap.report.RecapSections.Section;
import io.livepulse.jobs.sink.RecapFields;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Renders a recap as a self-contained HTML page (inline CSS and SVG charts, nothing fetched from
 * the network), as Markdown and as CSV, from the same {@link RecapSections}.
 */
public final class RecapRenderer {
    private RecapRenderer() {}

    private static final List<String> TIER_MIX =
            List.of("true_love", "affinity", "passerby", "non_fan", "unknown");
    private static final List<String> TIER_COLOURS =
            List.of("#d7263d", "#f46036", "#f9c80e", "#2e86ab", "#9e9e9e");

    public static String html(RecapReport r) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>直播复盘 Recap · ")
                .append(esc(r.live()))
                .append("</title>\n<style>\n")
                .append(
                        "body{font-family:system-ui,'PingFang SC','Noto Sans CJK SC',sans-serif;margin:24px;color:#222;max-width:1000px}\n"
                                + "h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}\n"
                                + "table{border-collapse:collapse;margin-top:8px}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left;font-size:14px}\n"
                                + "th{background:#f5f5f5}td.v{text-align:right;font-variant-numeric:tabular-nums}.en{color:#666}\n"
                                + ".charts{display:flex;flex-wrap:wrap;gap:16px}.chart{border:1px solid #eee;padding:8px}\n")
                .append("</style>\n</head>\n<body>\n")
                .append("<h1>直播复盘 Post-stream recap: ")
                .append(esc(r.live()))
                .append("</h1>\n<p>直播间 Room <b id=\"room\">")
                .append(esc(r.room()))
                .append("</b> · ")
                .append(RecapSections.when(r.start()))
                .append(" → ")
                .append(RecapSections.when(r.end()))
                .append("</p>\n<div class=\"charts\">\n");
        h.append(
                lineChart(
                        "在线人数 Online viewers (each tick)",
                        r,
                        t -> t.online(),
                        v -> RecapSections.count(v)));
        h.append(lineChart("累计成交额 GMV so far", r, t -> t.gmvCents(), v -> RecapSections.money(v)));
        h.append(tierMix(r));
        h.append(funnelChart(r));
        h.append("</div>\n");
        for (Section s : RecapSections.of(r)) {
            h.append("<h2>").append(esc(s.zh())).append(" <span class=\"en\">").append(esc(s.en()));
            h.append("</span></h2>\n<table>\n");
            if (!s.header().isEmpty()) {
                h.append("<tr>");
                for (String c : s.header()) {
                    h.append("<th>").append(esc(c)).append("</th>");
                }
                h.append("</tr>\n");
            }
            if (s.cells().isEmpty()) {
                h.append("<tr><td>无 none</td></tr>\n");
            }
            for (int i = 0; i < s.cells().size(); i++) {
                List<String> row = s.cells().get(i);
                String id = s.header().isEmpty() ? " id=\"" + s.rows().get(i).key() + "\"" : "";
                h.append("<tr").append(id).append(">");
                for (int c = 0; c < row.size(); c++) {
                    boolean value = c > 0 && (!s.header().isEmpty() || c == row.size() - 1);
                    h.append(value ? "<td class=\"v\">" : c == 1 ? "<td class=\"en\">" : "<td>")
                            .append(esc(row.get(c)))
                            .append("</td>");
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    public static String markdown(RecapReport r) {
        StringBuilder m = new StringBuilder(8_192);
        m.append("# 直播复盘 Post-stream recap: ").append(r.live()).append("\n\n");
        m.append("直播间 Room **")
                .append(r.room())
                .append("** · ")
                .append(RecapSections.when(r.start()))
                .append(" → ")
                .append(RecapSections.when(r.end()))
                .append("\n");
        for (Section s : RecapSections.of(r)) {
            m.append("\n## ").append(s.zh()).append(" ").append(s.en()).append("\n\n");
            List<String> header =
                    s.header().isEmpty() ? List.of("指标", "Figure", "值 Value") : s.header();
            m.append("| ").append(String.join(" | ", header)).append(" |\n|");
            m.append(" --- |".repeat(header.size())).append("\n");
            for (List<String> row : s.cells()) {
                m.append("| ")
                        .append(
                                String.join(
                                        " | ",
                                        row.stream().map(c -> c.replace("|", "\\|")).toList()))
                        .append(" |\n");
            }
        }
        return m.toString();
    }

    /** One figure per line: key, labels, raw value (cents, ms, ratios as fractions). */
    public static String csv(RecapReport r) {
        StringBuilder c = new StringBuilder(8_192);
        c.append("room,live,key,label_zh,label_en,value\n");
        for (Row row : RecapSections.rows(r)) {
            c.append(csvCell(r.room()))
                    .append(',')
                    .append(csvCell(r.live()))
                    .append(',')
                    .append(csvCell(row.key()))
                    .append(',')
                    .append(csvCell(row.zh()))
                    .append(',')
                    .append(csvCell(row.en()))
                    .append(',')
                    .append(csvCell(raw(row.raw())))
                    .append('\n');
        }
        return c.toString();
    }

    private static String raw(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    private static String csvCell(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n")
                ? "\"" + s.replace("\"", "\"\"") + "\""
                : s;
    }

    /** A line over the broadcast, x = time, y = the value at each tick. */
    private static String lineChart(
            String title,
            RecapReport r,
            ToLongFunction<RecapReport.Tick> value,
            java.util.function.LongFunction<String> label) {
        int w = 460;
        int h = 180;
        long max = 1;
        for (RecapReport.Tick t : r.series()) {
            max = Math.max(max, value.applyAsLong(t));
        }
        double span = Math.max(1, r.end() - r.start());
        StringBuilder points = new StringBuilder();
        for (RecapReport.Tick t : r.series()) {
            double x = 40 + (w - 50) * (t.ts() - r.start()) / span;
            double y = h - 25 - (h - 40) * (double) value.applyAsLong(t) / max;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return "<figure class=\"chart\"><figcaption>"
                + esc(title)
                + "</figcaption><svg width=\""
                + w
                + "\" height=\""
                + h
                + "\" viewBox=\"0 0 "
                + w
                + " "
                + h
                + "\" role=\"img\"><line x1=\"40\" y1=\""
                + (h - 25)
                + "\" x2=\""
                + (w - 10)
                + "\" y2=\""
                + (h - 25)
                + "\" stroke=\"#999\"/><line x1=\"40\" y1=\"15\" x2=\"40\" y2=\""
                + (h - 25)
                + "\" stroke=\"#999\"/><polyline fill=\"none\" stroke=\"#2e86ab\" stroke-width=\"2\" points=\""
                + points.toString().trim()
                + "\"/><text x=\"44\" y=\"12\" font-size=\"11\">max "
                + esc(label.apply(max))
                + "</text><text x=\"40\" y=\""
                + (h - 8)
                + "\" font-size=\"11\">"
                + esc(RecapSections.when(r.start()).substring(11, 16))
                + "</text><text x=\""
                + (w - 50)
                + "\" y=\""
                + (h - 8)
                + "\" font-size=\"11\">"
                + esc(RecapSections.when(r.end()).substring(11, 16))
                + "</text></svg></figure>\n";
    }

    /** Viewers by tier as one stacked bar with a legend. */
    private static String tierMix(RecapReport r) {
        long total = 0;
        for (String t : TIER_MIX) {
            total += uv(r, t);
        }
        StringBuilder svg = new StringBuilder();
        double x = 10;
        int w = 440;
        for (int i = 0; i < TIER_MIX.size(); i++) {
            String t = TIER_MIX.get(i);
            double width = total == 0 ? 0 : w * (double) uv(r, t) / total;
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"%.1f\" y=\"20\" width=\"%.1f\" height=\"40\" fill=\"%s\"/>",
                            x,
                            width,
                            TIER_COLOURS.get(i)));
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<rect x=\"10\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"28\" y=\"%d\" font-size=\"12\">%s %s: %s (%s)</text>",
                            75 + i * 18,
                            TIER_COLOURS.get(i),
                            86 + i * 18,
                            esc(RecapSections.TIER_ZH.get(t)),
                            t,
                            RecapSections.count(uv(r, t)),
                            total == 0 ? "—" : RecapSections.percent((double) uv(r, t) / total)));
            x += width;
        }
        return "<figure class=\"chart\"><figcaption>观众分层 Viewers by tier</figcaption><svg width=\"460\" height=\"180\" viewBox=\"0 0 460 180\" role=\"img\">"
                + svg
                + "</svg></figure>\n";
    }

    /** The funnel's steps as bars, longest = the largest step. */
    private static String funnelChart(RecapReport r) {
        long max = 1;
        for (RecapFields.Step s : RecapFields.FUNNEL) {
            max = Math.max(max, asLong(r.recap().get(s.name())));
        }
        StringBuilder svg = new StringBuilder();
        for (int i = 0; i < RecapFields.FUNNEL.size(); i++) {
            String step = RecapFields.FUNNEL.get(i).name();
            long n = asLong(r.recap().get(step));
            svg.append(
                    String.format(
                            Locale.ROOT,
                            "<text x=\"4\" y=\"%d\" font-size=\"12\">%s</text><rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"#f46036\"/><text x=\"%.1f\" y=\"%d\" font-size=\"12\">%s</text>",
                            22 + i * 22,
                            esc(RecapSections.FUNNEL_ZH.get(step)),
                            10 + i * 22,
                            240.0 * n / max,
                            156 + 240.0 * n / max,
                            22 + i * 22,
                            RecapSections.count(n)));
        }
        return "<figure class=\"chart\"><figcaption>转化漏斗 Funnel</figcaption><svg width=\"460\" height=\"170\" viewBox=\"0 0 460 170\" role=\"img\">"
                + svg
                + "</svg></figure>\n";
    }

    private static long uv(RecapReport r, String tier) {
        Map<String, Object> t = r.tiers().get(tier);
        return t == null ? 0 : asLong(t.get("uv"));
    }

    private static long asLong(Object v) {
        return v instanceof Number n ? Math.round(n.doubleValue()) : 0;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }
}
