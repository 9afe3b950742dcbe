package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates the demo school base from a fixed seed. Each record carries at most one planted defect,
 * drawn from per-table bands of a few percent each, so every defect kind is present and the counts
 * never change between builds. Not thread-safe: one instance builds one dataset.
 */
final class DemoSchool {
  static final String BASE_ID = "appDemoSchool2024";
  private static final long SEED = 20_240_901L;
  static final int TEACHERS = 300;
  static final int CLASSES = 1_200;
  static final int STUDENTS = 10_000;
  static final int ENROLLMENTS = 10_000;

  static final List<String> SUBJECTS =
      List.of(
          "Mathematics",
          "English",
          "Biology",
          "Chemistry",
          "Physics",
          "History",
          "Geography",
          "Art",
          "Music",
          "Computer Science",
          "Physical Education",
          "Spanish",
          "French");
  private static final List<String> SUBJECT_CODES =
      List.of(
          "MAT", "ENG", "BIO", "CHE", "PHY", "HIS", "GEO", "ART", "MUS", "CSC", "PED", "SPA",
          "FRE");

  /** The three-letter code prefix of {@code SUBJECTS.get(i)}, as the class codes use it. */
  static String subjectCode(int i) {
    return SUBJECT_CODES.get(i);
  }

  static final List<String> CLASS_STATUSES = List.of("Active", "Archived");

  /** The view of Classes (Status Active) and Enrollments (Status Enrolled). */
  static final String ACTIVE_VIEW = "Active";

  static final List<String> TAGS =
      List.of("Honors", "Athlete", "Scholarship", "ESL", "Band", "Debate", "Robotics", "Choir");
  static final List<String> ENROLLMENT_STATUSES =
      List.of("Enrolled", "Waitlisted", "Dropped", "Completed");
  private static final List<String> LEVELS =
      List.of("Foundations", "I", "II", "Advanced", "Honors", "Seminar", "Lab", "Studio");
  private static final String[][] TERMS = {
    {"2023-09-05", "2024-01-19"},
    {"2024-01-22", "2024-06-14"},
    {"2024-09-03", "2025-01-17"},
    {"2025-01-21", "2025-06-13"},
  };
  private static final List<String> FIRST_NAMES =
      List.of(
          "Olivia",
          "Liam",
          "Emma",
          "Noah",
          "Ava",
          "Oliver",
          "Sophia",
          "Elijah",
          "Isabella",
          "James",
          "Mia",
          "William",
          "Amelia",
          "Benjamin",
          "Harper",
          "Lucas",
          "Evelyn",
          "Henry",
          "Abigail",
          "Alexander",
          "Emily",
          "Mateo",
          "Ella",
          "Daniel",
          "Aaliyah",
          "Michael",
          "Chloe",
          "Ethan",
          "Camila",
          "Jackson",
          "Priya",
          "Sebastian",
          "Zoe",
          "Aiden",
          "Nora",
          "Samuel",
          "Leila",
          "David",
          "Hannah",
          "Joseph",
          "Grace",
          "Wei",
          "Aisha",
          "Carter",
          "Lucía",
          "Owen",
          "Yuki",
          "Wyatt",
          "Fatima",
          "Julian",
          "Ingrid",
          "Levi",
          "Amara",
          "Isaac",
          "Sofía",
          "Gabriel",
          "Mei",
          "Anthony",
          "Noor",
          "Dylan");
  private static final List<String> LAST_NAMES =
      List.of(
          "Smith",
          "Johnson",
          "Williams",
          "Brown",
          "Jones",
          "Garcia",
          "Miller",
          "Davis",
          "Rodriguez",
          "Martinez",
          "Hernandez",
          "Lopez",
          "Gonzalez",
          "Wilson",
          "Anderson",
          "Thomas",
          "Taylor",
          "Moore",
          "Jackson",
          "Martin",
          "Lee",
          "Perez",
          "Thompson",
          "White",
          "Harris",
          "Sanchez",
          "Clark",
          "Ramirez",
          "Lewis",
          "Robinson",
          "Walker",
          "Young",
          "Allen",
          "King",
          "Wright",
          "Scott",
          "Torres",
          "Nguyen",
          "Hill",
          "Flores",
          "Green",
          "Adams",
          "Nelson",
          "Baker",
          "Hall",
          "Rivera",
          "Campbell",
          "Mitchell",
          "Carter",
          "Roberts",
          "Okafor",
          "Kowalski",
          "Yamamoto",
          "Patel",
          "Haddad",
          "Novak",
          "O'Brien",
          "Schmidt",
          "Rossi",
          "Larsen");

  private final Random random = new Random(SEED);
  private final Set<String> usedRecordIds = new HashSet<>();
  private final Set<String> usedEmails = new HashSet<>();
  private final Map<String, String> slugs = new HashMap<>();

  Dataset build() {
    var teachers = new TableBuilder("Teachers");
    FieldSchema tName = teachers.field("Name", "singleLineText");
    FieldSchema tEmail = teachers.field("Email", "email");
    FieldSchema tPhone = teachers.field("Phone", "phoneNumber");
    FieldSchema tSubject = teachers.select("Subject", "singleSelect", SUBJECTS);
    FieldSchema tHire = teachers.field("Hire Date", "date");

    var classes = new TableBuilder("Classes");
    FieldSchema cName = classes.field("Name", "singleLineText");
    FieldSchema cCode = classes.field("Code", "singleLineText");
    FieldSchema cTeacher = classes.link("Teacher", teachers.id);
    FieldSchema cStatus = classes.select("Status", "singleSelect", CLASS_STATUSES);
    FieldSchema cCapacity = classes.field("Capacity", "number");
    FieldSchema cStart = classes.field("Start Date", "date");
    FieldSchema cEnd = classes.field("End Date", "date");
    FieldSchema cRoom = classes.field("Room", "singleLineText");

    var students = new TableBuilder("Students");
    FieldSchema sName = students.field("Name", "singleLineText");
    FieldSchema sEmail = students.field("Email", "email");
    FieldSchema sGrade = students.field("Grade", "number");
    FieldSchema sBirth = students.field("Birth Date", "date");
    FieldSchema sHome = students.field("Homepage", "url");
    FieldSchema sTags = students.select("Tags", "multipleSelects", TAGS);

    var enrollments = new TableBuilder("Enrollments");
    FieldSchema eName = enrollments.field("Enrollment", "singleLineText");
    FieldSchema eStudent = enrollments.link("Student", students.id);
    FieldSchema eClass = enrollments.link("Class", classes.id);
    // Imported as text from the registrar's spreadsheet, hence the odd date formats below.
    FieldSchema eDate = enrollments.field("Enrolled On", "singleLineText");
    FieldSchema eStatus = enrollments.select("Status", "singleSelect", ENROLLMENT_STATUSES);

    // Teachers
    Map<String, List<String>> teachersBySubject = new HashMap<>();
    for (int i = 0; i < TEACHERS; i++) {
      String first = pick(FIRST_NAMES);
      String last = pick(LAST_NAMES);
      String subject = pick(SUBJECTS);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put(tName.name(), first + " " + last);
      f.put(tEmail.name(), email(first, last, "northfield.edu"));
      f.put(tPhone.name(), String.format("(415) 555-%04d", random.nextInt(10_000)));
      f.put(tSubject.name(), subject);
      f.put(tHire.name(), date(LocalDate.of(1995, 1, 1), LocalDate.of(2024, 8, 1)));
      double d = random.nextDouble();
      if (d < 0.02) {
        f.remove(tEmail.name());
      } else if (d < 0.045) {
        f.put(tEmail.name(), duplicateEmail(teachers, tEmail.name()));
      } else if (d < 0.06) {
        f.put(tEmail.name(), invalidEmail(first, last));
      } else if (d < 0.08) {
        f.put(tPhone.name(), pick(List.of("555-01", "call the office", "(415) 555-01234-9", "+1")));
      } else if (d < 0.095) {
        f.put(tSubject.name(), pick(List.of("Astronomy", "Drama", "mathematics")));
      } else if (d < 0.105) {
        f.put(tHire.name(), pick(List.of("1899-12-30", "2031-09-01", "2099-01-01")));
      } else if (d < 0.115) {
        f.remove(tName.name());
      }
      String id = teachers.add(f);
      teachersBySubject.computeIfAbsent(subject, k -> new ArrayList<>()).add(id);
    }

    // Classes
    Map<String, Integer> codeCounters = new HashMap<>();
    for (int i = 0; i < CLASSES; i++) {
      int s = random.nextInt(SUBJECTS.size());
      String subject = SUBJECTS.get(s);
      String prefix = SUBJECT_CODES.get(s);
      int number = codeCounters.merge(prefix, 1, Integer::sum) + 100;
      String[] term = TERMS[random.nextInt(TERMS.length)];
      List<String> candidates = teachersBySubject.getOrDefault(subject, teachers.ids);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put(
          cName.name(),
          subject + " " + pick(LEVELS) + " (section " + (1 + random.nextInt(6)) + ")");
      f.put(cCode.name(), prefix + "-" + number);
      f.put(cTeacher.name(), List.of(candidates.get(random.nextInt(candidates.size()))));
      f.put(cStatus.name(), term[0].compareTo("2024-09-01") < 0 ? "Archived" : "Active");
      f.put(cCapacity.name(), 12 + random.nextInt(24));
      f.put(cStart.name(), term[0]);
      f.put(cEnd.name(), term[1]);
      f.put(cRoom.name(), (char) ('A' + random.nextInt(4)) + "-" + (100 + random.nextInt(300)));
      double d = random.nextDouble();
      if (d < 0.02) {
        f.put(
            cCode.name(),
            pick(
                List.of(
                    prefix.toLowerCase(Locale.ROOT) + "-" + number,
                    prefix + number,
                    prefix + "-" + number + "0",
                    prefix.substring(0, 2) + "-" + number)));
      } else if (d < 0.04) {
        f.remove(cTeacher.name());
      } else if (d < 0.06) {
        f.put(cTeacher.name(), List.of(teachers.randomId(), teachers.randomId()));
      } else if (d < 0.075) {
        f.put(cTeacher.name(), List.of(deletedId()));
      } else if (d < 0.09) {
        f.put(cStatus.name(), pick(List.of("Pending", "active", "Cancelled")));
      } else if (d < 0.11) {
        f.put(cCapacity.name(), pick(List.of(0, -3, 45, 120, 400)));
      } else if (d < 0.12) {
        f.put(cCapacity.name(), String.valueOf(12 + random.nextInt(24)));
      } else if (d < 0.14) {
        f.put(cEnd.name(), LocalDate.parse(term[0]).minusDays(1 + random.nextInt(60)).toString());
      } else if (d < 0.15) {
        f.remove(cName.name());
      }
      classes.add(f);
    }

    // Students
    for (int i = 0; i < STUDENTS; i++) {
      String first = pick(FIRST_NAMES);
      String last = pick(LAST_NAMES);
      int grade = 9 + random.nextInt(4);
      int birthYear = 2019 - grade - random.nextInt(2);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put(sName.name(), first + " " + last);
      f.put(sEmail.name(), email(first, last, "students.northfield.edu"));
      f.put(sGrade.name(), grade);
      f.put(sBirth.name(), date(LocalDate.of(birthYear, 1, 1), LocalDate.of(birthYear, 12, 31)));
      if (random.nextDouble() < 0.35) {
        f.put(
            sHome.name(),
            "https://sites.northfield.edu/~"
                + slug(first).charAt(0)
                + slug(last)
                + random.nextInt(100));
      }
      List<String> tags = new ArrayList<>();
      for (String tag : TAGS) {
        if (random.nextDouble() < 0.12) {
          tags.add(tag);
        }
      }
      f.put(sTags.name(), tags);
      double d = random.nextDouble();
      if (d < 0.01) {
        f.remove(sName.name());
      } else if (d < 0.03) {
        f.remove(sEmail.name());
      } else if (d < 0.05) {
        f.put(sEmail.name(), duplicateEmail(students, sEmail.name()));
      } else if (d < 0.065) {
        f.put(sEmail.name(), invalidEmail(first, last));
      } else if (d < 0.08) {
        f.put(sGrade.name(), pick(List.of(0, 8, 13, 99)));
      } else if (d < 0.09) {
        f.put(sGrade.name(), String.valueOf(grade));
      } else if (d < 0.10) {
        f.put(sBirth.name(), pick(List.of("1900-01-01", "2031-05-05", "1985-07-14")));
      } else if (d < 0.115) {
        f.put(
            sHome.name(),
            pick(
                List.of(
                    "htps//sites.northfield.edu/~x",
                    "my homepage",
                    "http://",
                    "sites northfield edu")));
      } else if (d < 0.13) {
        List<String> bad = new ArrayList<>(tags);
        bad.add(pick(List.of("Chess Club", "honors", "Drama")));
        f.put(sTags.name(), bad);
      }
      students.add(f);
    }

    // Enrollments
    List<List<String>> pairs = new ArrayList<>();
    for (int i = 0; i < ENROLLMENTS; i++) {
      int c = random.nextInt(classes.ids.size());
      String student = students.randomId();
      String clazz = classes.ids.get(c);
      String start = (String) classes.records.get(c).fields().get(cStart.name());
      LocalDate enrolled = LocalDate.parse(start).minusDays(random.nextInt(21));
      Map<String, Object> f = new LinkedHashMap<>();
      f.put(eName.name(), String.format("ENR-%05d", i + 1));
      f.put(eStudent.name(), List.of(student));
      f.put(eClass.name(), List.of(clazz));
      f.put(eDate.name(), enrolled.toString());
      double s = random.nextDouble();
      f.put(
          eStatus.name(),
          s < 0.70 ? "Enrolled" : s < 0.78 ? "Waitlisted" : s < 0.85 ? "Dropped" : "Completed");
      double d = random.nextDouble();
      if (d < 0.01) {
        f.remove(eStudent.name());
      } else if (d < 0.025) {
        f.put(eStudent.name(), List.of(deletedId()));
      } else if (d < 0.04) {
        f.put(eClass.name(), List.of(deletedId()));
      } else if (d < 0.05) {
        f.put(eClass.name(), List.of(clazz, classes.randomId()));
      } else if (d < 0.065) {
        f.put(eStatus.name(), pick(List.of("Withdrawn", "enrolled", "Pending")));
      } else if (d < 0.085) {
        f.put(
            eDate.name(),
            pick(
                List.of(
                    enrolled.getMonthValue()
                        + "/"
                        + enrolled.getDayOfMonth()
                        + "/"
                        + enrolled.getYear(),
                    String.format(
                        "%02d.%02d.%d",
                        enrolled.getDayOfMonth(), enrolled.getMonthValue(), enrolled.getYear()),
                    enrolled.getYear() + "-13-45",
                    "next Monday")));
      } else if (d < 0.10 && !pairs.isEmpty()) {
        List<String> earlier = pairs.get(random.nextInt(pairs.size()));
        f.put(eStudent.name(), List.of(earlier.get(0)));
        f.put(eClass.name(), List.of(earlier.get(1)));
      }
      pairs.add(List.of(student, clazz));
      enrollments.add(f);
    }

    // Named views, as a real base has them: the simulator serves them as filters of the table.
    return Dataset.of(
        BASE_ID,
        List.of(
            teachers.table(),
            classes.table().withView(ACTIVE_VIEW, "{Status} = 'Active'"),
            students.table(),
            enrollments.table().withView(ACTIVE_VIEW, "{Status} = 'Enrolled'")));
  }

  private <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  private String date(LocalDate from, LocalDate to) {
    long days = to.toEpochDay() - from.toEpochDay();
    return from.plusDays(random.nextLong(days + 1)).toString();
  }

  /** Lower-case ASCII letters of a name, for e-mail addresses and URLs; cached per name. */
  private String slug(String name) {
    return slugs.computeIfAbsent(
        name,
        n ->
            Normalizer.normalize(n, Normalizer.Form.NFD)
                .replaceAll("[^A-Za-z]", "")
                .toLowerCase(Locale.ROOT));
  }

  private String email(String first, String last, String domain) {
    String local = slug(first) + "." + slug(last);
    String email = local + "@" + domain;
    for (int n = 2; !usedEmails.add(email); n++) {
      email = local + n + "@" + domain;
    }
    return email;
  }

  /**
   * An earlier record's e-mail in other letter case or with stray spaces: equal once normalized.
   */
  private String duplicateEmail(TableBuilder table, String field) {
    for (int attempt = 0; attempt < 20; attempt++) {
      var fields = table.records.get(random.nextInt(table.records.size())).fields();
      if (fields.get(field) instanceof String original && original.equals(original.strip())) {
        return switch (random.nextInt(4)) {
          case 0 -> original.toUpperCase(Locale.ROOT);
          case 1 -> Character.toUpperCase(original.charAt(0)) + original.substring(1);
          case 2 -> " " + original;
          default -> "  " + Character.toUpperCase(original.charAt(0)) + original.substring(1) + " ";
        };
      }
    }
    return "Duplicate@Northfield.edu";
  }

  private String invalidEmail(String first, String last) {
    String local = slug(first) + "." + slug(last);
    return switch (random.nextInt(4)) {
      case 0 -> local + "@";
      case 1 -> local + ".northfield.edu";
      case 2 -> slug(first) + " " + slug(last) + "@northfield.edu";
      default -> local + "@@northfield.edu";
    };
  }

  /** A well-formed record id that no table holds: a link to a deleted record. */
  private String deletedId() {
    String id;
    do {
      id = Ids.random("rec", random);
    } while (!usedRecordIds.add(id));
    return id;
  }

  /** Collects one table's fields and records with deterministic ids and creation times. */
  private final class TableBuilder {
    final String name;
    final String id;
    final List<FieldSchema> fields = new ArrayList<>();
    final List<AirtableRecord> records = new ArrayList<>();
    final List<String> ids = new ArrayList<>();
    Instant created = Instant.parse("2024-06-01T08:00:00Z");

    TableBuilder(String name) {
      this.name = name;
      this.id = Ids.derived("tbl", BASE_ID + ":" + name);
    }

    FieldSchema field(String fieldName, String type) {
      return add(new FieldSchema(fieldId(fieldName), fieldName, type, null, null));
    }

    FieldSchema select(String fieldName, String type, List<String> choices) {
      return add(new FieldSchema(fieldId(fieldName), fieldName, type, choices, null));
    }

    /** A link field that, like the school's, holds one record (Airtable's "single record"). */
    FieldSchema link(String fieldName, String linkedTableId) {
      return add(
          new FieldSchema(
              fieldId(fieldName), fieldName, "multipleRecordLinks", null, linkedTableId, true));
    }

    private String fieldId(String fieldName) {
      return Ids.derived("fld", id + ":" + fieldName);
    }

    private FieldSchema add(FieldSchema f) {
      fields.add(f);
      return f;
    }

    String add(Map<String, Object> values) {
      String recordId;
      do {
        recordId = Ids.random("rec", random);
      } while (!usedRecordIds.add(recordId));
      created = created.plusSeconds(1 + random.nextInt(600)).plusMillis(random.nextInt(1000));
      values.values().removeIf(Dataset::isEmpty);
      records.add(new AirtableRecord(recordId, created, values));
      ids.add(recordId);
      return recordId;
    }

    String randomId() {
      return ids.get(random.nextInt(ids.size()));
    }

    SimTable table() {
      return new SimTable(id, name, fields.get(0).id(), fields, records);
    }
  }
}
