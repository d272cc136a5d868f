package io.livepulse.jobs.recap.report;

import io.livepulse.jobs.recap.HeadlineFigures;
import io.livepulse.jobs.sink.RecapFields;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A recap laid out for people: sections of labelled rows, Chinese and English, each value both raw
 * (for CSV) and formatted (for HTML and Markdown). Every renderer reads from here, so the three
 * formats always say the same thing.
 */
public final class RecapSections {
    /** One figure: its field name, labels, raw value ({@code null} if undefined) and text. */
    public record Row(String key, String zh, String en, Object raw, String text) {}

    /**
     * A titled table: {@code cells} as shown (with {@code header} naming the columns; none for a
     * two-language key-value table) and {@code rows}, the same figures one per line, raw, for CSV.
     */
    public record Section(
            String zh, String en, List<String> header, List<List<String>> cells, List<Row> rows) {}

    private RecapSections() {}

    static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    /** The key-value sections: overview, sales, goal. */
    public static List<Section> of(RecapReport r) {
        Map<String, Object> f = r.figures();
        Map<String, Object> all = r.tiers().getOrDefault("all", Map.of());
        List<Section> sections = new ArrayList<>();
        sections.add(
                keyValue(
                        "概览",
                        "Overview",
                        List.of(
                                row("start", "开播", "Start", r.start(), when(r.start())),
                                row("end", "下播", "End", r.end(), when(r.end())),
                                row(
                                        "duration_ms",
                                        "时长",
                                        "Duration",
                                        r.recap().get("duration_ms"),
                                        duration(r.recap().get("duration_ms"))),
                                row(
                                        "pcu",
                                        "峰值在线",
                                        "Peak concurrent viewers (PCU)",
                                        f.get("pcu"),
                                        count(f.get("pcu"))),
                                row(
                                        "pcu_at",
                                        "峰值时刻",
                                        "PCU reached at",
                                        f.get("pcu_at"),
                                        f.get("pcu_at") == null
                                                ? "—"
                                                : when(((Number) f.get("pcu_at")).longValue())),
                                row("uv", "观看人数", "Viewers (UV)", f.get("uv"), count(f.get("uv"))),
                                row("pv", "观看次数", "Views (PV)", f.get("pv"), count(f.get("pv"))),
                                row(
                                        "avg_watch_ms",
                                        "人均观看时长",
                                        "Average watch time",
                                        all.get("avg_watch_ms"),
                                        duration(all.get("avg_watch_ms"))),
                                row(
                                        "fan_viewing_ratio",
                                        "粉丝观看占比",
                                        "Fan viewing ratio",
                                        f.get("fan_viewing_ratio"),
                                        percent(f.get("fan_viewing_ratio"))),
                                row(
                                        "watch_lift",
                                        "粉丝观看时长提升",
                                        "Watch lift (fans vs non-fans)",
                                        f.get("watch_lift"),
                                        lift(f.get("watch_lift"))),
                                row(
                                        "interaction_lift",
                                        "粉丝互动提升",
                                        "Interaction lift",
                                        f.get("interaction_lift"),
                                        lift(f.get("interaction_lift"))))));
        sections.add(
                keyValue(
                        "成交",
                        "Sales",
                        List.of(
                                row(
                                        "gmv_cents",
                                        "成交额 GMV",
                                        "GMV",
                                        f.get("gmv_cents"),
                                        money(f.get("gmv_cents"))),
                                row(
                                        "fan_gmv_share",
                                        "粉丝成交占比",
                                        "Fan GMV share",
                                        f.get("fan_gmv_share"),
                                        percent(f.get("fan_gmv_share"))),
                                row(
                                        "old_fan_gmv_share",
                                        "老粉成交占比",
                                        "Old-fan GMV share",
                                        f.get("old_fan_gmv_share"),
                                        percent(f.get("old_fan_gmv_share"))),
                                row(
                                        "orders",
                                        "订单数",
                                        "Orders",
                                        all.get("orders"),
                                        count(all.get("orders"))),
                                row(
                                        "buyers",
                                        "购买人数",
                                        "Buyers",
                                        all.get("buyers"),
                                        count(all.get("buyers"))),
                                row(
                                        "aov_cents",
                                        "客单价",
                                        "Average order value",
                                        all.get("aov_cents"),
                                        money(all.get("aov_cents"))),
                                row(
                                        "conversion",
                                        "转化率",
                                        "Conversion (buyers / UV)",
                                        all.get("conversion"),
                                        percent(all.get("conversion"))),
                                row(
                                        "gpm_cents",
                                        "千次观看成交额 GPM",
                                        "GMV per 1,000 views (GPM)",
                                        all.get("gpm_cents"),
                                        money(all.get("gpm_cents"))),
                                row(
                                        "uv_value_cents",
                                        "UV 价值",
                                        "UV value",
                                        all.get("uv_value_cents"),
                                        money(all.get("uv_value_cents"))),
                                row(
                                        "refunds",
                                        "退款单数",
                                        "Refunds",
                                        all.get("refunds"),
                                        count(all.get("refunds"))),
                                row(
                                        "refunded_cents",
                                        "退款金额",
                                        "Refunded",
                                        all.get("refunded_cents"),
                                        money(all.get("refunded_cents"))))));
        sections.add(
                keyValue(
                        "目标达成",
                        "Goals",
                        List.of(
                                row(
                                        "goal_gmv_cents",
                                        "GMV 目标",
                                        "GMV goal",
                                        f.get("goal_gmv_cents"),
                                        money(f.get("goal_gmv_cents"))),
                                row(
                                        "goal_gmv_progress",
                                        "GMV 目标达成",
                                        "GMV goal attained",
                                        f.get("goal_gmv_progress"),
                                        percent(f.get("goal_gmv_progress"))),
                                row(
                                        "goal_new_fans",
                                        "涨粉目标",
                                        "New-fan goal",
                                        f.get("goal_new_fans"),
                                        count(f.get("goal_new_fans"))),
                                row(
                                        "goal_new_fans_progress",
                                        "涨粉目标达成",
                                        "New-fan goal attained",
                                        f.get("goal_new_fans_progress"),
                                        percent(f.get("goal_new_fans_progress"))))));
        sections.add(tiers(r));
        sections.add(funnel(r));
        sections.add(products(r));
        sections.add(history(r));
        sections.add(alerts(r));
        return sections;
    }

    /** Every figure of every section, one per row, for CSV. */
    public static List<Row> rows(RecapReport r) {
        List<Row> rows = new ArrayList<>();
        for (Section s : of(r)) {
            rows.addAll(s.rows());
        }
        return rows;
    }

    private static Row row(String key, String zh, String en, Object raw, String text) {
        return new Row(key, zh, en, raw, text);
    }

    private static Section keyValue(String zh, String en, List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        for (Row r : rows) {
            cells.add(List.of(r.zh(), r.en(), r.text()));
        }
        return new Section(zh, en, List.of(), cells, rows);
    }

    static final Map<String, String> TIER_ZH =
            Map.of(
                    "all", "全部观众",
                    "fans", "粉丝",
                    "old_fans", "老粉",
                    "true_love", "真爱粉",
                    "affinity", "亲密粉",
                    "passerby", "路人粉",
                    "non_fan", "非粉丝",
                    "unknown", "未知");

    static final Map<String, String> FUNNEL_ZH =
            Map.of(
                    "new_viewers", "新观众(非粉丝)",
                    "follows", "关注",
                    "fan_club_joins", "加入粉丝团",
                    "interacting_viewers", "互动人数",
                    "buyers", "购买人数",
                    "repeat_buyers", "复购人数",
                    "sharers", "分享人数");

    static final Map<String, String> FIELD_ZH =
            Map.of(
                    "uv", "观看人数",
                    "avg_watch_ms", "人均观看时长",
                    "gmv_cents", "成交额",
                    "orders", "订单数",
                    "refunds", "退款单数");

    static final Map<String, String> PART_ZH =
            Map.of(
                    "", "本场",
                    "_previous", "上一场",
                    "_difference", "差值",
                    "_rank", "排名",
                    "_of", "参与排名场次");

    static final Map<String, String> HISTORY_ZH =
            Map.of(
                    "gmv_cents", "成交额 GMV",
                    "uv", "观看人数",
                    "pcu", "峰值在线",
                    "avg_watch_ms", "人均观看时长",
                    "orders", "订单数",
                    "conversion", "转化率",
                    "fan_viewing_ratio", "粉丝观看占比");

    private static Section tiers(RecapReport r) {
        List<List<String>> cells = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> t : r.tiers().entrySet()) {
            Map<String, Object> v = t.getValue();
            String zh = TIER_ZH.getOrDefault(t.getKey(), t.getKey());
            for (String field : List.of("uv", "avg_watch_ms", "gmv_cents", "orders")) {
                rows.add(
                        row(
                                "tier." + t.getKey() + "." + field,
                                zh + " " + FIELD_ZH.get(field),
                                t.getKey() + " " + field,
                                v.get(field),
                                format(field, v.get(field))));
            }
            cells.add(
                    List.of(
                            TIER_ZH.getOrDefault(t.getKey(), t.getKey()) + " " + t.getKey(),
                            count(v.get("uv")),
                            duration(v.get("avg_watch_ms")),
                            money(v.get("gmv_cents")),
                            count(v.get("orders"))));
        }
        return new Section(
                "分层表现",
                "By fan tier",
                List.of("分层 Tier", "观看人数 UV", "人均观看 Avg watch", "成交额 GMV", "订单 Orders"),
                cells,
                rows);
    }

    private static Section funnel(RecapReport r) {
        List<List<String>> cells = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (RecapFields.Step s : RecapFields.FUNNEL) {
            Object n = r.recap().get(s.name());
            Object rate = r.recap().get(s.name() + "_rate");
            rows.add(row("funnel." + s.name(), FUNNEL_ZH.get(s.name()), s.name(), n, count(n)));
            rows.add(
                    row(
                            "funnel." + s.name() + "_rate",
                            FUNNEL_ZH.get(s.name()) + " 占观看人数",
                            s.name() + " / UV",
                            rate,
                            percent(rate)));
            cells.add(
                    List.of(
                            FUNNEL_ZH.get(s.name()) + " " + s.name(),
                            count(r.recap().get(s.name())),
                            percent(r.recap().get(s.name() + "_rate"))));
        }
        return new Section(
                "转化漏斗", "Funnel", List.of("环节 Step", "人数 Count", "占观看人数 Share of UV"), cells, rows);
    }

    private static Section products(RecapReport r) {
        List<List<String>> cells = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < r.products().size(); i++) {
            Map<String, Object> p = r.products().get(i);
            String at = "product." + (i + 1) + ".";
            rows.add(row(at + "sku", "商品", "product", p.get("sku"), String.valueOf(p.get("sku"))));
            for (String field : List.of("gmv_cents", "orders", "refunds")) {
                rows.add(
                        row(
                                at + field,
                                "商品" + FIELD_ZH.get(field),
                                "product " + field,
                                p.get(field),
                                format(field, p.get(field))));
            }
            cells.add(
                    List.of(
                            Integer.toString(i + 1),
                            String.valueOf(p.get("sku")),
                            money(p.get("gmv_cents")),
                            count(p.get("orders")),
                            count(p.get("refunds"))));
        }
        return new Section(
                "热销商品",
                "Top products by GMV",
                List.of("排名 Rank", "商品 SKU", "成交额 GMV", "订单 Orders", "退款 Refunds"),
                cells,
                rows);
    }

    private static Section history(RecapReport r) {
        List<List<String>> cells = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        for (HeadlineFigures.Figure h : HeadlineFigures.FIGURES) {
            String k = h.name();
            for (String part : List.of("", "_previous", "_difference", "_rank", "_of")) {
                Object v = r.recap().get(k + part);
                rows.add(
                        row(
                                "history." + k + part,
                                HISTORY_ZH.get(k) + " " + PART_ZH.get(part),
                                k + part,
                                v,
                                String.valueOf(v == null ? "" : v)));
            }
            Object rank = r.recap().get(k + "_rank");
            cells.add(
                    List.of(
                            HISTORY_ZH.get(k) + " " + k,
                            format(k, r.recap().get(k)),
                            format(k, r.recap().get(k + "_previous")),
                            signed(k, r.recap().get(k + "_difference")),
                            rank == null
                                    ? "—"
                                    : count(rank) + " / " + count(r.recap().get(k + "_of"))));
        }
        return new Section(
                "与本直播间历史场次对比",
                "Against the room's earlier broadcasts",
                List.of("指标 Figure", "本场 This", "上一场 Previous", "差值 Difference", "排名 Rank"),
                cells,
                rows);
    }

    /** The alerts raised during the broadcast (docs/alerts.md), oldest first. */
    private static Section alerts(RecapReport r) {
        List<List<String>> cells = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        rows.add(row("alerts", "告警数", "alerts", r.alerts().size(), count(r.alerts().size())));
        for (int i = 0; i < r.alerts().size(); i++) {
            Map<String, Object> a = r.alerts().get(i);
            String at = "alert." + (i + 1) + ".";
            long firedAt = ((Number) a.get("time")).longValue();
            Object resolvedAt = a.get("resolved_at");
            Object lasted = resolvedAt instanceof Number n ? n.longValue() - firedAt : null;
            rows.add(
                    row(
                            at + "kind",
                            "告警类型",
                            "alert kind",
                            a.get("kind"),
                            String.valueOf(a.get("kind"))));
            rows.add(row(at + "fired_at", "告警时间", "alert fired at", firedAt, when(firedAt)));
            rows.add(row(at + "lasted_ms", "告警持续", "alert lasted", lasted, duration(lasted)));
            rows.add(
                    row(
                            at + "evidence",
                            "告警依据",
                            "alert evidence",
                            a.get("evidence"),
                            String.valueOf(a.get("evidence"))));
            cells.add(
                    List.of(
                            when(firedAt).substring(11, 19),
                            String.valueOf(a.get("kind")),
                            String.valueOf(a.get("severity")),
                            duration(lasted),
                            String.valueOf(a.get("evidence"))));
        }
        if (cells.isEmpty()) {
            cells.add(List.of("—", "无告警 none", "", "", ""));
        }
        return new Section(
                "告警",
                "Alerts during the broadcast",
                List.of("时间 Time", "类型 Kind", "级别 Severity", "持续 Lasted", "依据 Evidence"),
                cells,
                rows);
    }

    private static String format(String figure, Object v) {
        if (figure.endsWith("_cents")) {
            return money(v);
        }
        if (figure.endsWith("_ms")) {
            return duration(v);
        }
        if (figure.equals("conversion") || figure.endsWith("_ratio")) {
            return percent(v);
        }
        return count(v);
    }

    private static String signed(String figure, Object v) {
        if (!(v instanceof Number n)) {
            return "—";
        }
        String sign = n.doubleValue() > 0 ? "+" : n.doubleValue() < 0 ? "−" : "±";
        String text = format(figure, Math.abs(n.doubleValue()));
        if (figure.equals("conversion") || figure.endsWith("_ratio")) {
            text = String.format(Locale.ROOT, "%.1f pt", Math.abs(n.doubleValue()) * 100);
        }
        return sign + text;
    }

    public static String when(long ms) {
        return WHEN.format(Instant.ofEpochMilli(ms));
    }

    public static String count(Object v) {
        return v instanceof Number n
                ? String.format(Locale.ROOT, "%,d", Math.round(n.doubleValue()))
                : "—";
    }

    public static String money(Object v) {
        return v instanceof Number n
                ? String.format(Locale.ROOT, "¥%,.2f", n.doubleValue() / 100.0)
                : "—";
    }

    public static String percent(Object v) {
        return v instanceof Number n
                ? String.format(Locale.ROOT, "%.1f%%", n.doubleValue() * 100)
                : "—";
    }

    public static String lift(Object v) {
        return v instanceof Number n
                ? String.format(Locale.ROOT, "%+.1f%%", n.doubleValue() * 100)
                : "—";
    }

    public static String duration(Object v) {
        if (!(v instanceof Number n)) {
            return "—";
        }
        long s = Math.round(n.doubleValue() / 1000.0);
        return s >= 3600
                ? String.format(Locale.ROOT, "%d h %02d min", s / 3600, s % 3600 / 60)
                : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
}
