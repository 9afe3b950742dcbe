package dev.integrity.bench;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.SimTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A school base as large as Airtable allows (500,500 records at scale 1): Teachers, Classes,
 * Students and Enrollments, each record with 3 or 4 checked fields and one long unchecked text,
 * with defects planted at fixed strides so the issues a correct run finds are known in advance
 * ({@link #expectedIssues()}, the oracle). Deterministic: the same scale gives the same base.
 */
final class LargeSchool {
  static final String BASE_ID = "appLargeSchool001";
  static final List<String> SUBJECTS = List.of("Mathematics", "English", "Biology", "History");
  static final List<String> STATUSES = List.of("Enrolled", "Waitlisted", "Dropped", "Completed");

  private final String baseId;
  private final int teachers;
  private final int classes;
  private final int students;
  private final int enrollments;

  /** Scale 1.0: 500 teachers, 10,000 classes, 160,000 students, 330,000 enrollments. */
  LargeSchool(double scale) {
    this(BASE_ID, scale);
  }

  /** The same tables, records and planted issues under another base id (app + 14 characters). */
  LargeSchool(String baseId, double scale) {
    this.baseId = baseId;
    this.teachers = Math.max(100, (int) Math.round(500 * scale));
    this.classes = Math.max(500, (int) Math.round(10_000 * scale));
    this.students = Math.max(1_000, (int) Math.round(160_000 * scale));
    this.enrollments = Math.max(3_000, (int) Math.round(330_000 * scale));
  }

  int records() {
    return teachers + classes + students + enrollments;
  }

  /** The checks, as the {@code entities:} block of an integrity.yml. */
  static String entitiesYaml() {
    return """
        teachers:
          table: Teachers
          checks:
            - required: [Name, Email]
            - allowed: {field: Subject, values: [Mathematics, English, Biology, History]}
        classes:
          table: Classes
          checks:
            - required: [Name]
            - link: {field: Teacher, to: teachers, min: 1, max: 1}
            - range: {field: Capacity, min: 1, max: 40}
        students:
          table: Students
          checks:
            - required: [Name, Email]
            - range: {field: Grade, min: 9, max: 12}
        enrollments:
          table: Enrollments
          checks:
            - link: {field: Student, to: students, min: 1, max: 1}
            - link: {field: Class, to: classes, min: 1, max: 1}
            - allowed: {field: Status, values: [Enrolled, Waitlisted, Dropped, Completed]}
        """;
  }

  /** The issues a correct full run finds, per entity (the strides below, counted). */
  Map<String, Long> expectedIssues() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("teachers", count(teachers, 50, 0) + count(teachers, 100, 7));
    out.put("classes", count(classes, 100, 0) + count(classes, 250, 3) + count(classes, 500, 11));
    out.put("students", count(students, 1000, 0) + count(students, 400, 1));
    out.put(
        "enrollments",
        count(enrollments, 1000, 5) + count(enrollments, 2000, 9) + count(enrollments, 3000, 13));
    return out;
  }

  /**
   * Of {@link #expectedIssues()}, the ones only the dangling-link part of a {@code link} check
   * finds (a linked id that is not a record of the target): a run that checks the entity without
   * its link target fetched ({@code partialChecks}) does not find them.
   */
  Map<String, Long> danglingLinkIssues() {
    Map<String, Long> out = new LinkedHashMap<>();
    out.put("teachers", 0L);
    out.put("classes", count(classes, 500, 11));
    out.put("students", 0L);
    out.put("enrollments", count(enrollments, 1000, 5));
    return out;
  }

  /**
   * The issues of {@link #expectedIssues()} one by one, per entity, each as {@code "recordId
   * field"} (a dangling link's field is {@code "Field:linkedId"}, as the link check names it): the
   * oracle by issue, not only by count.
   */
  Map<String, Set<String>> expectedIssueKeys() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    out.put(
        "teachers", keys('T', teachers, new Defect(50, 0, "Email"), new Defect(100, 7, "Subject")));
    out.put(
        "classes",
        keys(
            'C',
            classes,
            new Defect(100, 0, "Capacity"),
            new Defect(250, 3, "Teacher"),
            new Defect(500, 11, "Teacher", 'X')));
    out.put(
        "students", keys('S', students, new Defect(1000, 0, "Email"), new Defect(400, 1, "Grade")));
    out.put(
        "enrollments",
        keys(
            'E',
            enrollments,
            new Defect(1000, 5, "Student", 'Y'),
            new Defect(2000, 9, "Class"),
            new Defect(3000, 13, "Status")));
    return out;
  }

  /** Of {@link #expectedIssueKeys()}, the dangling links (see {@link #danglingLinkIssues()}). */
  Map<String, Set<String>> danglingLinkIssueKeys() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    out.put("teachers", Set.of());
    out.put("classes", keys('C', classes, new Defect(500, 11, "Teacher", 'X')));
    out.put("students", Set.of());
    out.put("enrollments", keys('E', enrollments, new Defect(1000, 5, "Student", 'Y')));
    return out;
  }

  /**
   * Records i with i % stride == rest have an issue on {@code field}; with a {@code dangling} table
   * letter, the issue of a link to record i of that (missing) table.
   */
  private record Defect(int stride, int rest, String field, char dangling) {
    Defect(int stride, int rest, String field) {
      this(stride, rest, field, ' ');
    }

    String key(char table, int i) {
      return id(table, i) + " " + field + (dangling == ' ' ? "" : ":" + id(dangling, i));
    }
  }

  private static Set<String> keys(char table, int n, Defect... defects) {
    Set<String> out = new TreeSet<>();
    for (Defect d : defects) {
      for (int i = 1; i <= n; i++) {
        if (i % d.stride() == d.rest()) {
          out.add(d.key(table, i));
        }
      }
    }
    return out;
  }

  String baseId() {
    return baseId;
  }

  long expectedTotal() {
    return expectedIssues().values().stream().mapToLong(Long::longValue).sum();
  }

  /** How many i in 1..n have i % stride == rest. */
  private static long count(int n, int stride, int rest) {
    long c = 0;
    for (int i = 1; i <= n; i++) {
      if (i % stride == rest) {
        c++;
      }
    }
    return c;
  }

  Dataset dataset() {
    String tTeachers = "tblLSTeachers0001";
    String tClasses = "tblLSClasses00001";
    String tStudents = "tblLSStudents0001";
    String tEnrollments = "tblLSEnrollment01";
    List<SimTable> tables = new ArrayList<>();

    List<AirtableRecord> rows = new ArrayList<>(teachers);
    for (int i = 1; i <= teachers; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("Name", "Teacher " + i);
      if (i % 50 != 0) {
        f.put("Email", "teacher" + i + "@school.example");
      }
      f.put("Subject", i % 100 == 7 ? "Underwater Basketweaving" : SUBJECTS.get(i % 4));
      f.put("Bio", filler("teacher", i));
      rows.add(new AirtableRecord(id('T', i), created(i), f));
    }
    tables.add(
        table(
            tTeachers,
            "Teachers",
            rows,
            text(tTeachers, "Name"),
            field(tTeachers, "Email", "email"),
            new FieldSchema(fid(tTeachers, "Subject"), "Subject", "singleSelect", SUBJECTS, null),
            field(tTeachers, "Bio", "multilineText")));

    rows = new ArrayList<>(classes);
    for (int i = 1; i <= classes; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("Name", "Class " + i);
      if (i % 250 == 3) {
        // no teacher: the link's minimum
      } else if (i % 500 == 11) {
        f.put("Teacher", List.of(id('X', i)));
      } else {
        f.put("Teacher", List.of(id('T', 1 + i % teachers)));
      }
      f.put("Capacity", i % 100 == 0 ? 99 : 10 + i % 30);
      f.put("Description", filler("class", i));
      rows.add(new AirtableRecord(id('C', i), created(i), f));
    }
    tables.add(
        table(
            tClasses,
            "Classes",
            rows,
            text(tClasses, "Name"),
            link(tClasses, "Teacher", tTeachers),
            field(tClasses, "Capacity", "number"),
            field(tClasses, "Description", "multilineText")));

    rows = new ArrayList<>(students);
    for (int i = 1; i <= students; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("Name", "Student " + i);
      if (i % 1000 != 0) {
        f.put("Email", "student" + i + "@school.example");
      }
      f.put("Grade", i % 400 == 1 ? 13 : 9 + i % 4);
      f.put("Notes", filler("student", i));
      rows.add(new AirtableRecord(id('S', i), created(i), f));
    }
    tables.add(
        table(
            tStudents,
            "Students",
            rows,
            text(tStudents, "Name"),
            field(tStudents, "Email", "email"),
            field(tStudents, "Grade", "number"),
            field(tStudents, "Notes", "multilineText")));

    rows = new ArrayList<>(enrollments);
    for (int i = 1; i <= enrollments; i++) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("Name", "E" + i);
      f.put("Student", List.of(i % 1000 == 5 ? id('Y', i) : id('S', 1 + i % students)));
      if (i % 2000 != 9) {
        f.put("Class", List.of(id('C', 1 + i % classes)));
      }
      f.put("Status", i % 3000 == 13 ? "Lost" : STATUSES.get(i % 4));
      f.put("Notes", filler("enrollment", i));
      rows.add(new AirtableRecord(id('E', i), created(i), f));
    }
    tables.add(
        table(
            tEnrollments,
            "Enrollments",
            rows,
            text(tEnrollments, "Name"),
            link(tEnrollments, "Student", tStudents),
            link(tEnrollments, "Class", tClasses),
            new FieldSchema(fid(tEnrollments, "Status"), "Status", "singleSelect", STATUSES, null),
            field(tEnrollments, "Notes", "multilineText")));
    return Dataset.of(baseId, tables);
  }

  /** Record ids of 17 characters, as Airtable's: rec, a letter per table, 13 digits. */
  static String id(char table, int i) {
    return "rec" + table + String.format("%013d", i);
  }

  private static Instant created(int i) {
    return Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i);
  }

  /** About 100 characters of text no check reads: a run should not keep it. */
  private static String filler(String what, int i) {
    return ("Notes about " + what + " " + i + ": nothing a check reads, only what a user types. ")
        .repeat(2)
        .substring(0, 100);
  }

  private static SimTable table(
      String id, String name, List<AirtableRecord> records, FieldSchema... fields) {
    return new SimTable(id, name, fields[0].id(), List.of(fields), records);
  }

  private static String fid(String tableId, String name) {
    String clean = (tableId.substring(3, 8) + name.replaceAll("[^A-Za-z]", "") + "00000000000");
    return "fld" + clean.substring(0, 14);
  }

  private static FieldSchema text(String tableId, String name) {
    return field(tableId, name, "singleLineText");
  }

  private static FieldSchema field(String tableId, String name, String type) {
    return new FieldSchema(fid(tableId, name), name, type, null, null);
  }

  private static FieldSchema link(String tableId, String name, String linkedTableId) {
    return new FieldSchema(
        fid(tableId, name), name, "multipleRecordLinks", null, linkedTableId, true);
  }
}
