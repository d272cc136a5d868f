package io.livepulse.events;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the record the job sees all day, one JSON object whose values are strings, integers,
 * booleans or null, straight from its bytes into an array of values. It builds no parser: Jackson's
 * parser, its context and buffers, built for every record, were an eighth of what the job allocated
 * (docs/benchmarks.md, change 47).
 *
 * <p>It takes a subset of JSON and says no to the rest, leaving the record to {@link EventCodec}'s
 * tree reader (Jackson, strict), which accepts or rejects it in its own words. So everything this
 * reader takes it must read exactly as Jackson would; where it could differ it says no. It says no
 * to: a root other than an object; an object or array as a value; fractions, exponents, leading
 * zeros and integers of more than 18 digits; escapes or non-ASCII bytes in names; escaped
 * surrogates; bytes that are not strict UTF-8; control characters; a repeated field; anything but
 * white space after the object. {@code EventCodecTest} holds the two readers to the same result on
 * every record it makes, valid or broken.
 */
final class FlatObjectReader {
    /** Integers of up to this many digits fit in a {@code long}; longer ones go to the tree. */
    private static final int MAX_DIGITS = 18;

    private FlatObjectReader() {}

    /**
     * @param names the fields to keep, each as its bytes (ASCII), at most 64
     * @param values receives the value of {@code names[i]} at {@code i}: a {@code String}, a {@code
     *     Long} or a {@code Boolean}; JSON null leaves it {@code null}. Fields not in {@code names}
     *     are checked and skipped.
     * @return {@code false} if the record is outside what this reader takes; {@code values} then
     *     holds whatever was read before that point
     */
    static boolean read(byte[] raw, byte[][] names, Object[] values) {
        int end = raw.length;
        int i = skipSpace(raw, 0);
        if (i == end || raw[i] != '{') {
            return false;
        }
        i = skipSpace(raw, i + 1);
        if (i < end && raw[i] == '}') {
            return skipSpace(raw, i + 1) == end;
        }
        long seen = 0; // a bit per kept field, for repeats
        int[] others = null; // start and end of each name not kept, for repeats; rare
        int otherCount = 0;
        while (true) {
            if (i == end || raw[i] != '"') {
                return false;
            }
            int nameStart = i + 1;
            int nameEnd = plainNameEnd(raw, nameStart);
            if (nameEnd < 0) {
                return false;
            }
            int slot = slotOf(raw, nameStart, nameEnd, names);
            if (slot >= 0) {
                if ((seen & (1L << slot)) != 0) {
                    return false;
                }
                seen |= 1L << slot;
            } else {
                if (others == null) {
                    others = new int[8];
                }
                for (int k = 0; k < otherCount; k += 2) {
                    if (Arrays.equals(raw, nameStart, nameEnd, raw, others[k], others[k + 1])) {
                        return false;
                    }
                }
                if (otherCount == others.length) {
                    others = Arrays.copyOf(others, otherCount * 2);
                }
                others[otherCount++] = nameStart;
                others[otherCount++] = nameEnd;
            }
            i = skipSpace(raw, nameEnd + 1);
            if (i == end || raw[i] != ':') {
                return false;
            }
            i = skipSpace(raw, i + 1);
            i = readValue(raw, i, slot < 0 ? null : values, slot);
            if (i < 0) {
                return false;
            }
            i = skipSpace(raw, i);
            if (i == end) {
                return false;
            }
            if (raw[i] == '}') {
                return skipSpace(raw, i + 1) == end;
            }
            if (raw[i] != ',') {
                return false;
            }
            i = skipSpace(raw, i + 1);
        }
    }

    /** JSON's white space: space, tab, line feed, carriage return. */
    private static int skipSpace(byte[] raw, int i) {
        while (i < raw.length) {
            byte b = raw[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                break;
            }
            i++;
        }
        return i;
    }

    /** The closing quote of a name of printable ASCII without escapes, or -1. */
    private static int plainNameEnd(byte[] raw, int i) {
        for (; i < raw.length; i++) {
            byte b = raw[i];
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) { // bytes from 0x80 are negative: not ASCII
                return -1;
            }
        }
        return -1;
    }

    private static int slotOf(byte[] raw, int start, int end, byte[][] names) {
        int length = end - start;
        for (int k = 0; k < names.length; k++) {
            byte[] name = names[k];
            if (name.length == length && Arrays.equals(raw, start, end, name, 0, length)) {
                return k;
            }
        }
        return -1;
    }

    /**
     * Reads the value at {@code i} into {@code values[slot]} (or only checks it when {@code values}
     * is null).
     *
     * @return the position after the value, or -1 if this reader does not take it
     */
    private static int readValue(byte[] raw, int i, Object[] values, int slot) {
        if (i == raw.length) {
            return -1;
        }
        byte b = raw[i];
        if (b == '"') {
            return readString(raw, i + 1, values, slot);
        }
        if (b == '-' || (b >= '0' && b <= '9')) {
            return readInteger(raw, i, values, slot);
        }
        if (matches(raw, i, "true")) {
            store(values, slot, Boolean.TRUE);
            return i + 4;
        }
        if (matches(raw, i, "false")) {
            store(values, slot, Boolean.FALSE);
            return i + 5;
        }
        if (matches(raw, i, "null")) {
            return i + 4; // the same as absent
        }
        return -1; // an object, an array, or not JSON
    }

    private static void store(Object[] values, int slot, Object value) {
        if (values != null) {
            values[slot] = value;
        }
    }

    private static boolean matches(byte[] raw, int i, String literal) {
        int length = literal.length();
        if (raw.length - i < length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (raw[i + k] != literal.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** An integer: an optional minus, then 0 or digits not starting with 0, at most 18. */
    private static int readInteger(byte[] raw, int i, Object[] values, int slot) {
        boolean negative = raw[i] == '-';
        int first = negative ? i + 1 : i;
        int j = first;
        long value = 0;
        while (j < raw.length && raw[j] >= '0' && raw[j] <= '9') {
            value = value * 10 + (raw[j] - '0');
            j++;
        }
        int digits = j - first;
        if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && raw[first] == '0')) {
            return -1;
        }
        // a fraction or exponent after the digits fails the caller's check for ',' or '}'
        store(values, slot, negative ? -value : value);
        return j;
    }

    /** A string from just after its opening quote; the position after its closing quote, or -1. */
    private static int readString(byte[] raw, int start, Object[] values, int slot) {
        boolean ascii = true;
        boolean escaped = false;
        int j = start;
        while (true) {
            if (j >= raw.length) {
                return -1;
            }
            byte b = raw[j];
            if (b == '"') {
                break;
            }
            if (b == '\\') {
                escaped = true;
                j += 2; // the escaped byte cannot close the string
                continue;
            }
            if (b >= 0 && b < 0x20) {
                return -1; // a control character must be escaped
            }
            if (b < 0) {
                ascii = false; // from 0x80: part of a multi-byte character, or garbage
            }
            j++;
        }
        if (ascii && !escaped) {
            if (values != null) {
                values[slot] = new String(raw, start, j - start, StandardCharsets.ISO_8859_1);
            }
            return j + 1;
        }
        String text = escaped ? unescaped(raw, start, j) : utf8(raw, start, j);
        if (text == null) {
            return -1;
        }
        store(values, slot, text);
        return j + 1;
    }

    /** The text of a string with escapes, or {@code null} for an escape this reader leaves. */
    private static String unescaped(byte[] raw, int start, int end) {
        byte[] out = new byte[end - start]; // every escape is longer than what it stands for
        int n = 0;
        for (int j = start; j < end; j++) {
            byte b = raw[j];
            if (b != '\\') {
                out[n++] = b;
                continue;
            }
            byte e = raw[++j];
            switch (e) {
                case '"', '\\', '/' -> out[n++] = e;
                case 'b' -> out[n++] = '\b';
                case 'f' -> out[n++] = '\f';
                case 'n' -> out[n++] = '\n';
                case 'r' -> out[n++] = '\r';
                case 't' -> out[n++] = '\t';
                case 'u' -> {
                    int c = end - j > 4 ? hex4(raw, j + 1) : -1;
                    if (c < 0 || Character.isSurrogate((char) c)) {
                        return null; // a half of a pair, alone or not: the tree reader's
                    }
                    j += 4;
                    if (c < 0x80) {
                        out[n++] = (byte) c;
                    } else if (c < 0x800) {
                        out[n++] = (byte) (0xC0 | c >> 6);
                        out[n++] = (byte) (0x80 | c & 0x3F);
                    } else {
                        out[n++] = (byte) (0xE0 | c >> 12);
                        out[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                        out[n++] = (byte) (0x80 | c & 0x3F);
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return utf8(out, 0, n);
    }

    private static int hex4(byte[] raw, int i) {
        int c = 0;
        for (int k = i; k < i + 4; k++) {
            int digit = Character.digit(raw[k], 16);
            if (digit < 0) {
                return -1;
            }
            c = c << 4 | digit;
        }
        return c;
    }

    /** The text of strict UTF-8 bytes, or {@code null} if they are not. */
    private static String utf8(byte[] bytes, int start, int end) {
        return isStrictUtf8(bytes, start, end)
                ? new String(bytes, start, end - start, StandardCharsets.UTF_8)
                : null;
    }

    /**
     * UTF-8 as the standard has it: no overlong forms, no surrogates, nothing above U+10FFFF
     * (Jackson takes some of those; this reader leaves them to it).
     */
    static boolean isStrictUtf8(byte[] bytes, int start, int end) {
        int j = start;
        while (j < end) {
            int b = bytes[j] & 0xFF;
            if (b < 0x80) {
                j++;
                continue;
            }
            int more;
            int min = 0x80; // the second byte's range
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                more = 1;
            } else if (b >= 0xE0 && b <= 0xEF) {
                more = 2;
                if (b == 0xE0) {
                    min = 0xA0; // overlong below
                } else if (b == 0xED) {
                    max = 0x9F; // surrogates above
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                more = 3;
                if (b == 0xF0) {
                    min = 0x90;
                } else if (b == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return false;
            }
            if (end - j <= more) {
                return false;
            }
            int second = bytes[j + 1] & 0xFF;
            if (second < min || second > max) {
                return false;
            }
            for (int k = 2; k <= more; k++) {
                if ((bytes[j + k] & 0xC0) != 0x80) {
                    return false;
                }
            }
            j += more + 1;
        }
        return true;
    }
}
