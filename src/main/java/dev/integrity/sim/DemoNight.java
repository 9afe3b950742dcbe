package dev.integrity.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.common.JsonMapper;
import dev.integrity.model.AirtableRecord;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The demo's day between two nights: a scripted, deterministic set of fixes and new mistakes,
 * written to the demo school base through Airtable's record endpoints ({@code POST}, {@code PATCH},
 * {@code DELETE} on {@code /v0/{base}/{table}}), as the school's staff would make them in Airtable.
 * The simulator turns each request into one webhook payload, so the next incremental run reads the
 * day from its webhook. Chosen from the data itself ({@link Dataset#demo()} never changes), so the
 * same records change every time. Immutable; {@link #play} is thread-safe.
 */
public final class DemoNight {
  private static final Pattern CODE = Pattern.compile("^[A-Z]{3}-\\d{3}$");
  private static final Pattern PLAIN_TEACHER_EMAIL =
      Pattern.compile("^[a-z]+\\.[a-z]+\\d*@northfield\\.edu$");
  private static final Pattern PLAIN_STUDENT_EMAIL =
      Pattern.compile("^[a-z]+\\.[a-z]+\\d*@students\\.northfield\\.edu$");
  private static final Pattern PHONE = Pattern.compile("^\\(415\\) 555-\\d{4}$");

  /** One request of the day: method, path and query under the API root, JSON body or null. */
  public record Write(String method, String path, String body) {}

  private final ObjectMapper mapper = JsonMapper.create();
  private final String baseId;
  private final List<Write> writes = new ArrayList<>();
  private final List<String> fixes = new ArrayList<>();
  private final List<String> mistakes = new ArrayList<>();

  private DemoNight(Dataset demo) {
    this.baseId = demo.baseId();
    script(demo);
  }

  /** The day's writes to {@code demo} (the base {@link Dataset#demo()} builds). */
  public static DemoNight of(Dataset demo) {
    return new DemoNight(Objects.requireNonNull(demo, "demo"));
  }

  /** The requests, in the order they are sent. */
  public List<Write> writes() {
    return List.copyOf(writes);
  }

  /** What the day fixes, one line each, for people. */
  public List<String> fixes() {
    return List.copyOf(fixes);
  }

  /** What the day gets wrong, one line each, for people. */
  public List<String> mistakes() {
    return List.copyOf(mistakes);
  }

  /**
   * Sends the writes to the simulator at {@code apiRoot} with {@code token}, at most half of {@code
   * requestsPerSecond} (0: unlimited), with a quiet second before and after, so that with the
   * requests of a run just before and of the run after they stay under the base's limit.
   *
   * @throws SimulatorException when a write is refused (the message has the answer)
   */
  public void play(URI apiRoot, String token, int requestsPerSecond) throws InterruptedException {
    Duration gap =
        requestsPerSecond <= 0 ? Duration.ZERO : Duration.ofMillis(2000L / requestsPerSecond + 1);
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      if (!gap.isZero()) {
        // The sliding second of the run that just ended is over before the first write.
        Thread.sleep(Duration.ofMillis(1100));
      }
      long next = System.nanoTime();
      for (Write w : writes) {
        // Paced start to start: a write's own time counts towards the gap.
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(Duration.ofNanos(wait));
        }
        next = System.nanoTime() + gap.toNanos();
        var req =
            java.net.http.HttpRequest.newBuilder(URI.create(apiRoot + w.path()))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(
                    w.method(),
                    w.body() == null
                        ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(w.body()))
                .build();
        HttpResponse<String> answer;
        try {
          answer = http.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
          throw new SimulatorException(
              "the demo's write " + w.method() + " " + w.path() + " failed: " + e, e);
        }
        if (answer.statusCode() != 200) {
          throw new SimulatorException(
              "the demo's write "
                  + w.method()
                  + " "
                  + w.path()
                  + " was answered "
                  + answer.statusCode()
                  + ": "
                  + answer.body());
        }
      }
      if (!gap.isZero()) {
        // And the run after starts on a quiet second: its first few requests (schema, webhook
        // payloads) do not know of these, and at a low limit (5/s) the two would exceed it.
        Thread.sleep(Duration.ofMillis(1100));
      }
    }
  }

  // ---------------------------------------------------------------------------------- the script

  private void script(Dataset demo) {
    SimTable teachers = demo.table("Teachers").orElseThrow();
    SimTable classes = demo.table("Classes").orElseThrow();
    SimTable students = demo.table("Students").orElseThrow();
    SimTable enrollments = demo.table("Enrollments").orElseThrow();
    Set<String> teacherEmails = new HashSet<>();
    teachers.records().forEach(r -> teacherEmails.add(normalized(r.fields().get("Email"))));

    // Fixes: the office fills three missing e-mails...
    ArrayNode filled = mapper.createArrayNode();
    for (AirtableRecord r : teachers.records()) {
      if (filled.size() == 3) {
        break;
      }
      if (r.fields().get("Email") == null && r.fields().get("Name") instanceof String name) {
        String email = freshEmail(name, teacherEmails);
        filled.add(update(r.id(), "Email", email));
      }
    }
    patch("Teachers", filled);
    fixes.add(filled.size() + " missing teacher e-mails filled in");

    // ...corrects three malformed class codes...
    ArrayNode codes = mapper.createArrayNode();
    for (AirtableRecord r : classes.records()) {
      if (codes.size() == 3) {
        break;
      }
      String code = r.fields().get("Code") instanceof String c ? c : null;
      String subject = r.fields().get("Name") instanceof String n ? subjectCode(n) : null;
      String digits = code == null ? "" : code.replaceAll("\\D", "");
      if (code != null
          && !CODE.matcher(code).matches()
          && subject != null
          && digits.length() >= 3) {
        codes.add(update(r.id(), "Code", subject + "-" + digits.substring(0, 3)));
      }
    }
    patch("Classes", codes);
    fixes.add(codes.size() + " malformed class codes corrected");

    // ...puts three students in a real grade...
    ArrayNode grades = mapper.createArrayNode();
    for (AirtableRecord r : students.records()) {
      if (grades.size() == 3) {
        break;
      }
      if (r.fields().get("Grade") instanceof Integer g && (g < 9 || g > 12)) {
        grades.add(update(r.id(), "Grade", 10));
      }
    }
    patch("Students", grades);
    fixes.add(grades.size() + " impossible student grades corrected");

    // ...and deletes three duplicate enrollments (the later of each pair).
    Map<String, String> firstOfPair = new HashMap<>();
    List<String> duplicates = new ArrayList<>();
    for (AirtableRecord r : enrollments.records()) {
      if (!(r.fields().get("Student") instanceof List<?> s && s.size() == 1)
          || !(r.fields().get("Class") instanceof List<?> c && c.size() == 1)) {
        continue;
      }
      String pair = s.get(0) + "/" + c.get(0);
      if (firstOfPair.putIfAbsent(pair, r.id()) != null && duplicates.size() < 3) {
        duplicates.add(r.id());
      }
    }
    StringBuilder query = new StringBuilder();
    for (String id : duplicates) {
      query.append(query.isEmpty() ? "?" : "&").append(encode("records[]")).append('=').append(id);
    }
    writes.add(new Write("DELETE", tablePath("Enrollments") + query, null));
    fixes.add(duplicates.size() + " duplicate enrollments removed");

    // New mistakes: a new teacher typed in by hand, with a subject the school does not teach
    // (typecast lets Airtable take the new select option)...
    ObjectNode teacher = mapper.createObjectNode();
    ObjectNode tf = teacher.putObject("fields");
    tf.put("Name", "Morgan Ellis");
    tf.put("Email", "morgan.ellis@@northfield.edu");
    tf.put("Phone", "(415) 555-0142");
    tf.put("Subject", "Astronomy");
    tf.put("Hire Date", "2024-08-19");
    teacher.put("typecast", true);
    writes.add(new Write("POST", tablePath("Teachers"), json(teacher)));
    mistakes.add("a new teacher with a malformed e-mail and a subject not on the list");

    // ...a class booked over capacity...
    AirtableRecord big =
        classes.records().stream()
            .filter(
                r ->
                    "Active".equals(r.fields().get("Status"))
                        && r.fields().get("Capacity") instanceof Integer c
                        && c >= 12
                        && c <= 35
                        && r.fields().get("Code") instanceof String code
                        && CODE.matcher(code).matches())
            .findFirst()
            .orElseThrow();
    ObjectNode capacity = mapper.createObjectNode();
    capacity.putObject("fields").put("Capacity", 60);
    writes.add(new Write("PATCH", tablePath("Classes") + "/" + big.id(), json(capacity)));
    mistakes.add("a class booked for 60 seats");

    // ...two students' e-mails cleared by a careless bulk edit...
    ArrayNode cleared = mapper.createArrayNode();
    for (int i = students.records().size() - 1; i >= 0 && cleared.size() < 2; i--) {
      AirtableRecord r = students.records().get(i);
      if (r.fields().get("Email") instanceof String e && PLAIN_STUDENT_EMAIL.matcher(e).matches()) {
        cleared.add(update(r.id(), "Email", null));
      }
    }
    patch("Students", cleared);
    mistakes.add(cleared.size() + " student e-mails cleared");

    // ...an enrollment entered twice, its date typed as words...
    Set<String> studentIds = ids(students);
    Set<String> classIds = ids(classes);
    AirtableRecord twice =
        enrollments.records().stream()
            .filter(
                r ->
                    r.fields().get("Student") instanceof List<?> s
                        && s.size() == 1
                        && studentIds.contains(s.get(0))
                        && r.fields().get("Class") instanceof List<?> c
                        && c.size() == 1
                        && classIds.contains(c.get(0))
                        && "Enrolled".equals(r.fields().get("Status")))
            .findFirst()
            .orElseThrow();
    ObjectNode again = mapper.createObjectNode();
    ObjectNode ef = again.putArray("records").addObject().putObject("fields");
    ef.put("Enrollment", "ENR-10001");
    ef.putArray("Student").add(((List<?>) twice.fields().get("Student")).get(0).toString());
    ef.putArray("Class").add(((List<?>) twice.fields().get("Class")).get(0).toString());
    ef.put("Enrolled On", "next Friday");
    ef.put("Status", "Enrolled");
    writes.add(new Write("POST", tablePath("Enrollments"), json(again)));
    mistakes.add("an enrollment entered twice, dated 'next Friday'");

    // ...and a teacher deleted while classes still name them.
    Set<String> linked = new HashSet<>();
    classes
        .records()
        .forEach(
            r -> {
              if (r.fields().get("Teacher") instanceof List<?> t) {
                t.forEach(id -> linked.add(id.toString()));
              }
            });
    AirtableRecord leaving =
        teachers.records().stream()
            .filter(r -> linked.contains(r.id()) && clean(r))
            .findFirst()
            .orElseThrow();
    writes.add(new Write("DELETE", tablePath("Teachers") + "/" + leaving.id(), null));
    mistakes.add("a teacher deleted while their classes still link to them");
  }

  /** A teacher record no check finds anything wrong with. */
  private static boolean clean(AirtableRecord r) {
    Map<String, Object> f = r.fields();
    return f.get("Name") instanceof String
        && f.get("Email") instanceof String e
        && PLAIN_TEACHER_EMAIL.matcher(e).matches()
        && f.get("Phone") instanceof String p
        && PHONE.matcher(p).matches()
        && DemoSchool.SUBJECTS.contains(f.get("Subject"))
        && f.get("Hire Date") instanceof String d
        && LocalDate.parse(d).getYear() >= 1995
        && LocalDate.parse(d).getYear() <= 2024;
  }

  private ObjectNode update(String id, String field, Object value) {
    ObjectNode r = mapper.createObjectNode();
    r.put("id", id);
    r.putObject("fields").set(field, mapper.valueToTree(value));
    return r;
  }

  private void patch(String table, ArrayNode records) {
    ObjectNode body = mapper.createObjectNode();
    body.set("records", records);
    writes.add(new Write("PATCH", tablePath(table), json(body)));
  }

  private String tablePath(String table) {
    return "/v0/" + baseId + "/" + encode(table).replace("+", "%20");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Set<String> ids(SimTable t) {
    Set<String> ids = new HashSet<>();
    t.records().forEach(r -> ids.add(r.id()));
    return ids;
  }

  private static String normalized(Object email) {
    return email instanceof String s ? s.strip().toLowerCase(Locale.ROOT) : "";
  }

  private static String freshEmail(String name, Set<String> taken) {
    String local =
        java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD)
            .replaceAll("[^A-Za-z ]", "")
            .strip()
            .toLowerCase(Locale.ROOT)
            .replaceAll("\\s+", ".");
    String email = local + "@northfield.edu";
    for (int n = 2; !taken.add(email); n++) {
      email = local + n + "@northfield.edu";
    }
    return email;
  }

  /** The code prefix of the subject a class name starts with, null when none. */
  private static String subjectCode(String className) {
    for (int i = 0; i < DemoSchool.SUBJECTS.size(); i++) {
      if (className.startsWith(DemoSchool.SUBJECTS.get(i) + " ")) {
        return DemoSchool.subjectCode(i);
      }
    }
    return null;
  }

  private String json(ObjectNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }
}
