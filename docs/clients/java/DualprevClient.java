/*
 * dualprev sample client (企业端示例客户端): pushes a chain of every table to the provincial platform in pages of
 * 20 records, as the enterprise clients that already report in the national format do, and reads the answers in
 * the national shape (docs/data-exchange.md §9–§11).
 *
 * JDK 17 only: java.net.http for HTTP, javax.crypto for AES-128-CBC/PKCS5 (= PKCS#7 on 16-byte blocks), no other
 * library. (SM4 is not in the JDK: use Bouncy Castle's "SM4/CBC/PKCS5Padding" the same way; §15.)
 *
 * Usage:
 *   javac -d out DualprevClient.java
 *   java -cp out DualprevClient <base address> <companyCode> <16-character key> <first time> [--legacy]
 *
 *   <base address>  the secret base address the province gave, e.g. https://host/x/<secret>/  (no header needed)
 *   <first time>    local time (Asia/Shanghai) of the first record, "yyyy-MM-dd HH:mm:ss"
 *   --legacy        send what deployed clients send: "dangersSrc" and times as epoch milliseconds (the platform
 *                   accepts them with warnings, §10)
 *
 * Exit status 0 when every page was answered with data.code "200", 1 otherwise.
 */

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

public final class DualprevClient {
    static final int PAGE = 20;
    static final DateTimeFormatter WIRE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

    final String base;
    final String company;
    final byte[] key;
    final LocalDateTime first;
    final boolean legacy;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DualprevClient(String base, String company, String key, LocalDateTime first, boolean legacy) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.company = company;
        this.key = key.getBytes(StandardCharsets.US_ASCII);
        this.first = first;
        this.legacy = legacy;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: DualprevClient <base address> <companyCode> <key> <first time> [--legacy]");
            System.exit(2);
        }
        boolean legacy = args.length > 4 && args[4].equals("--legacy");
        DualprevClient c = new DualprevClient(args[0], args[1], args[2], LocalDateTime.parse(args[3], WIRE), legacy);
        System.exit(c.pushChain() ? 0 : 1);
    }

    /** A 32-hex id from a name (the same name gives the same id, so a rerun updates nothing). */
    static String id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    }

    /** A time `minutes` after the first, as text or (legacy) epoch milliseconds. */
    Object time(int minutes) {
        LocalDateTime t = first.plusMinutes(minutes);
        return legacy ? (Object) t.atZone(SHANGHAI).toInstant().toEpochMilli() : t.format(WIRE);
    }

    /** The fields every record carries. */
    Map<String, Object> common(String name) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id(company + "/" + name));
        r.put("companyCode", company);
        r.put("deleted", "0");
        r.put("createDate", first.format(WIRE));
        r.put("createBy", "示例客户端");
        r.put("updateDate", first.format(WIRE));
        r.put("updateBy", "示例客户端");
        return r;
    }

    /** The chain hazard → unit → event → measure → task → check record → danger, and unit stops: n of each. */
    Map<String, List<Map<String, Object>>> chain(int n) {
        Map<String, List<Map<String, Object>>> t = new LinkedHashMap<>();
        for (String name : List.of("hazard_source", "sec_security_risk_unit", "sec_security_risk_events",
                "sec_security_risk_control_measures", "sec_hidden_check_mission", "sec_hidden_check_record",
                "sec_hidden_danger_info", "sec_deactivated_maintenance_record")) {
            t.put(name, new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            Map<String, Object> h = common("h" + i);
            h.put("hazardCode", "JV-" + i);
            h.put("hazardName", "储罐区" + i);
            h.put("hazardLevel", "2");
            t.get("hazard_source").add(h);
            Map<String, Object> u = common("u" + i);
            u.put("hazardCode", "JV-" + i);
            u.put("hazardDep", "生产部");
            u.put("hazardLiablePerson", "王五");
            u.put("riskUnitName", "储罐" + i);
            u.put("riskClass", "2");
            t.get("sec_security_risk_unit").add(u);
            Map<String, Object> e = common("e" + i);
            e.put("riskUnitId", id(company + "/u" + i));
            e.put("riskEventName", "泄漏");
            t.get("sec_security_risk_events").add(e);
            Map<String, Object> m = common("m" + i);
            m.put("riskEventId", id(company + "/e" + i));
            m.put("dataSrc", "2");
            m.put("riskMeasureDesc", "巡检液位计");
            m.put("classify1", "1");
            m.put("classify2", "1-2");
            m.put("troubleshootContent", "检查液位计读数");
            t.get("sec_security_risk_control_measures").add(m);
            Map<String, Object> k = common("t" + i);
            k.put("riskMeasureId", id(company + "/m" + i));
            k.put("troubleshootContent", "检查液位计读数");
            k.put("checkCycle", 1);
            k.put("checkCycleUnit", "天");
            k.put("taskStartTime", first.format(WIRE));
            t.get("sec_hidden_check_mission").add(k);
            for (int j = 0; j < 2; j++) {
                Map<String, Object> c = common("c" + i + "-" + j);
                c.put("checkTaskId", id(company + "/t" + i));
                c.put("checkTime", time(60 * j + i));
                c.put("checkStatus", j == 0 ? "0" : "1");
                t.get("sec_hidden_check_record").add(c);
            }
            Map<String, Object> d = common("d" + i);
            d.put("hazardCode", "JV-" + i);
            d.put("checkRecordId", id(company + "/c" + i + "-1"));
            d.put("dangerName", "液位计失灵");
            d.put("dangerLevel", "0");
            d.put("registTime", time(60 + i));
            d.put("registrant", "示例客户端");
            d.put(legacy ? "dangersSrc" : "dangerSrc", "1");
            d.put("dangerManageType", "0");
            d.put("hazardDangerType", "4");
            d.put("dangerDesc", "液位计读数异常");
            d.put("liablePerson", "赵六");
            d.put("dangerState", "0");
            t.get("sec_hidden_danger_info").add(d);
            Map<String, Object> s = common("s" + i);
            s.put("riskUnitId", id(company + "/u" + i));
            s.put("stopStartTime", first.format(WIRE));
            s.put("stopReason", "检修");
            t.get("sec_deactivated_maintenance_record").add(s);
        }
        return t;
    }

    /** Pushes every table, parents first, in pages of 20; whether every page was answered "200". */
    boolean pushChain() throws Exception {
        boolean ok = true;
        int pages = 0;
        int stored = 0;
        for (Map.Entry<String, List<Map<String, Object>>> table : chain(PAGE).entrySet()) {
            List<Map<String, Object>> rows = table.getValue();
            for (int from = 0; from < rows.size(); from += PAGE) {
                List<Map<String, Object>> page = rows.subList(from, Math.min(rows.size(), from + PAGE));
                Map<String, Object> answer = push(table.getKey(), page);
                Map<?, ?> data = (Map<?, ?>) answer.get("data");
                Map<?, ?> receipt = (Map<?, ?>) data.get("data");
                Object warnings = receipt.get("warnings");
                int warned = warnings instanceof List ? ((List<?>) warnings).size() : 0;
                System.out.printf("%s page %d: data.code=%s accepted=%s unchanged=%s warnings=%d%n", table.getKey(),
                        from / PAGE + 1, data.get("code"), receipt.get("accepted"), receipt.get("unchanged"), warned);
                ok &= "200".equals(data.get("code"));
                pages++;
                stored += ((Number) receipt.get("accepted")).intValue() + ((Number) receipt.get("unchanged")).intValue();
            }
        }
        System.out.printf("pages=%d stored=%d ok=%b%n", pages, stored, ok);
        return ok;
    }

    /** Encrypts a page and posts it to the table's national endpoint; the parsed answer. */
    Map<String, Object> push(String table, List<Map<String, Object>> page) throws Exception {
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(key));
        String datas = Base64.getEncoder().encodeToString(aes.doFinal(Json.write(page).getBytes(StandardCharsets.UTF_8)));
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + table))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(Map.of("datas", datas))))
                .build();
        HttpResponse<String> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            // A pooled connection that the server closed meanwhile (its keep-alive ended) fails before any answer.
            // A push is idempotent (records sent again are answered `unchanged`), so the page is sent once more.
            res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) Json.read(res.body());
        if (!(answer.get("data") instanceof Map)) {
            throw new IllegalStateException("HTTP " + res.statusCode() + " without the national data member: " + res.body());
        }
        return answer;
    }
}

/** A minimal JSON writer and reader (objects, arrays, strings, numbers, booleans, null): enough for the exchange. */
final class Json {
    private final String s;
    private int i;

    private Json(String s) {
        this.s = s;
    }

    static String write(Object v) {
        StringBuilder b = new StringBuilder();
        write(b, v);
        return b.toString();
    }

    private static void write(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map) {
            b.append('{');
            boolean firstMember = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!firstMember) b.append(',');
                firstMember = false;
                write(b, String.valueOf(e.getKey()));
                b.append(':');
                write(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List) {
            b.append('[');
            boolean firstItem = true;
            for (Object o : (List<?>) v) {
                if (!firstItem) b.append(',');
                firstItem = false;
                write(b, o);
            }
            b.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            b.append('"');
            for (char c : v.toString().toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            b.append('"');
        }
    }

    static Object read(String text) {
        Json p = new Json(text);
        Object v = p.value();
        p.space();
        if (p.i != text.length()) throw new IllegalArgumentException("trailing text at " + p.i);
        return v;
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    }

    private Object value() {
        space();
        char c = s.charAt(i);
        if (c == '{') {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            space();
            if (s.charAt(i) == '}') {
                i++;
                return m;
            }
            do {
                space();
                String k = (String) value();
                space();
                expect(':');
                m.put(k, value());
                space();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != '}') throw new IllegalArgumentException("expected } at " + (i - 1));
            return m;
        }
        if (c == '[') {
            List<Object> l = new ArrayList<>();
            i++;
            space();
            if (s.charAt(i) == ']') {
                i++;
                return l;
            }
            do {
                l.add(value());
                space();
            } while (s.charAt(i++) == ',');
            if (s.charAt(i - 1) != ']') throw new IllegalArgumentException("expected ] at " + (i - 1));
            return l;
        }
        if (c == '"') {
            StringBuilder b = new StringBuilder();
            i++;
            while (s.charAt(i) != '"') {
                char d = s.charAt(i++);
                if (d != '\\') {
                    b.append(d);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
            i++;
            return b.toString();
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
        String n = s.substring(start, i);
        if (n.isEmpty()) throw new IllegalArgumentException("unexpected " + c + " at " + start);
        return n.contains(".") || n.contains("e") || n.contains("E") ? (Number) Double.parseDouble(n) : (Number) Long.parseLong(n);
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) throw new IllegalArgumentException("expected " + c + " at " + (i - 1));
    }
}
