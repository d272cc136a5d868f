package io.livepulse.jobs.tiering;

import io.livepulse.fans.FanProfile;
import io.livepulse.fans.Tier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a CRM or platform export of fans: CSV, UTF-8, a header naming the columns {@code
 * room,user,tier,followed_at,fan_club,intimacy,last_purchase_at} (the last three optional, in any
 * order). Dates are epoch milliseconds or ISO-8601 instants. Fields do not contain commas.
 */
public final class FanCsv {
    private FanCsv() {}

    /** The good profiles and, for every bad row, "file:line: what is wrong". */
    public record Parsed(List<FanProfile> profiles, List<String> errors) {}

    public static Parsed parse(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        List<FanProfile> profiles = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        if (lines.isEmpty()) {
            errors.add(file + ":1: the file is empty; expected a header row");
            return new Parsed(profiles, errors);
        }
        List<String> header = List.of(lines.get(0).replace("\uFEFF", "").trim().split("\\s*,\\s*"));
        for (String required : List.of("room", "user", "tier", "followed_at")) {
            if (!header.contains(required)) {
                errors.add(
                        file
                                + ":1: the header lacks the column '"
                                + required
                                + "' (it has "
                                + header
                                + ")");
            }
        }
        if (!errors.isEmpty()) {
            return new Parsed(profiles, errors);
        }
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            try {
                profiles.add(row(header, line.split("\\s*,\\s*", -1)));
            } catch (IllegalArgumentException e) {
                errors.add(file + ":" + (i + 1) + ": " + e.getMessage());
            }
        }
        return new Parsed(profiles, errors);
    }

    private static FanProfile row(List<String> header, String[] cells) {
        if (cells.length != header.size()) {
            throw new IllegalArgumentException(
                    "expected " + header.size() + " columns, got " + cells.length);
        }
        String room = cell(header, cells, "room", true);
        String user = cell(header, cells, "user", true);
        Tier tier = Tier.fromWireName(cell(header, cells, "tier", true));
        long followedAt = instant("followed_at", cell(header, cells, "followed_at", true));
        String fanClub = cell(header, cells, "fan_club", false);
        if (fanClub != null && !fanClub.equals("0") && !fanClub.equals("1")) {
            throw new IllegalArgumentException("fan_club must be 0 or 1, got \"" + fanClub + "\"");
        }
        String intimacy = cell(header, cells, "intimacy", false);
        double score;
        try {
            score = intimacy == null ? 0 : Double.parseDouble(intimacy);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "intimacy must be a number, got \"" + intimacy + "\"");
        }
        String lastPurchase = cell(header, cells, "last_purchase_at", false);
        return new FanProfile(
                room,
                user,
                tier,
                followedAt,
                "1".equals(fanClub),
                score,
                lastPurchase == null ? null : instant("last_purchase_at", lastPurchase));
    }

    private static String cell(
            List<String> header, String[] cells, String column, boolean required) {
        int i = header.indexOf(column);
        String value = i < 0 ? null : cells[i].trim();
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new IllegalArgumentException("'" + column + "' is empty");
            }
            return null;
        }
        return value;
    }

    private static long instant(String column, String value) {
        try {
            return value.chars().allMatch(Character::isDigit)
                    ? Long.parseLong(value)
                    : Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    column
                            + " must be epoch milliseconds or an ISO-8601 instant, got \""
                            + value
                            + "\"");
        }
    }
}
