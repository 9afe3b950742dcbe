/**
 * The Airtable simulator: an in-process HTTP server on 127.0.0.1 that answers like the Airtable Web
 * API, for the demo, the tests and the benchmarks ({@code integrity simulate}).
 *
 * <p>Transport: Jetty (the server Javalin already brings) speaks HTTP/1.1; one core {@code Handler}
 * ({@code SimHandler}) turns each request into an {@code HttpRequest} value, asks {@code Api}
 * (routing, listing, formulas, views, webhooks, edits, meta: the logic) for a {@code Reply}, and
 * delivers it on a virtual thread: normally after the configured latency, or as a fault says (a
 * stall holds the exchange until close or the idle timeout and then drops the connection without a
 * byte; a trickle writes and flushes chunk by chunk; a reset writes half the body and closes the
 * socket with SO_LINGER 0, an RST). Malformed requests are Jetty's to refuse, answered in
 * Airtable's JSON error shape. This package owns no socket code.
 *
 * <h2>What it serves</h2>
 *
 * <ul>
 *   <li>{@code GET /v0/{baseId}/{tableIdOrName}} with {@code pageSize} (default 100, larger values
 *       capped at 100, non-positive or non-numeric: 422), {@code offset}, {@code fields[]}, {@code
 *       maxRecords}, {@code returnFieldsByFieldId}; {@code view}, {@code filterByFormula}, {@code
 *       sort[…]}, {@code cellFormat}, {@code timeZone}, {@code userLocale} are accepted and
 *       ignored.
 *   <li>{@code POST /v0/{baseId}/{tableIdOrName}/listRecords} with the same parameters in a JSON
 *       body.
 *   <li>{@code GET /v0/{baseId}/{tableIdOrName}/{recordId}}: one record.
 *   <li>{@code GET /v0/meta/bases/{baseId}/tables}: tables with {@code id}, {@code name}, {@code
 *       primaryFieldId}, {@code fields} ({@code id}, {@code name}, {@code type}, {@code options}:
 *       {@code choices[]} (id, name, color) for selects and external sync sources, {@code
 *       linkedTableId} and {@code prefersSingleRecordLink} for links, for computed fields {@code
 *       result.type} as the dataset declares it (single line text when it does not) and, for
 *       lookups, rollups and counts, the {@code recordLinkFieldId} and {@code fieldIdInLinkedTable}
 *       the dataset declares (a lookup's {@code result} also carries the looked-up field's options,
 *       its choices for instance), and Airtable-shaped options of number, date and other types; any
 *       other type, known to Airtable or not, is served with its name and no options) and one grid
 *       view.
 *   <li>The webhooks API ({@code /v0/bases/{baseId}/webhooks}): create ({@code POST}, with {@code
 *       specification.options.filters.dataTypes} and {@code includes}), list ({@code GET}),
 *       payloads ({@code GET …/{id}/payloads?cursor=&limit=}, at most 50 a page, with {@code
 *       cursor} and {@code mightHaveMore}), refresh ({@code POST …/{id}/refresh}) and delete
 *       ({@code DELETE …/{id}}). Webhooks expire 7 days (by the simulator's clock) after creation,
 *       refresh or payload listing, are then disabled and gone 7 days later; payloads are kept 7
 *       days; 10 webhooks per base (422 {@code TOO_MANY_WEBHOOKS}); without the {@code
 *       webhook:manage} scope (see {@code Builder.scopes}) 403 {@code
 *       INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND}.
 *       <p>Payload cells are in Airtable's webhook cell format (the field model's "V2"; {@code
 *       WebhookCellFormat}), not the list-records one the simulator stores: a single select or
 *       external sync source is {@code {"id", "name", "color"}} with the choice id the Meta API
 *       gives, multiple selects a list of those, links {@code [{"id", "name"}]} named by the linked
 *       record's primary field value as text ({@code "Unnamed record"} when it is empty or the link
 *       dangles), a lookup {@code {"valuesByLinkedRecordId", "linkedRecordIds"}} (values split by
 *       linked record when the schema names the link and the looked-up field and the linked records
 *       account for the stored list; otherwise the whole list under one linked record id, so the
 *       groups concatenate to the list-records value; each value in the webhook format of the
 *       looked-up field, or of the lookup's result type and own choices when that field is not at
 *       hand), collaborators with a {@code permissionLevel}, a cleared cell {@code null}; other
 *       types as list-records gives them. Previous values are written through the base as it was
 *       before the transaction (a link to a record destroyed in it keeps its name).
 *       <p>Error payloads: {@link dev.integrity.sim.AirtableSimulator#webhookError} makes every
 *       active webhook record {@code {"timestamp", "baseTransactionNumber", "error": true, "code",
 *       "payloadFormat": "v0"}} ({@code INVALID_FILTERS}, {@code INVALID_HOOK}, {@code
 *       INTERNAL_ERROR} or any other code), listed among its payloads; the webhook goes on
 *       recording later transactions.
 *   <li>Record writes, as Airtable's Web API documents them ({@code RecordWrites}): create ({@code
 *       POST /v0/{baseId}/{tableIdOrName}} with {@code {"records": [{"fields"}], "typecast"?}},
 *       answered {@code {"records": [{"id", "createdTime", "fields"}]}}, or one {@code {"fields"}},
 *       answered with that record), update ({@code PATCH}, or {@code PUT}, which clears every
 *       writable field it does not name, on {@code /v0/{baseId}/{table}} with {@code {"records":
 *       [{"id", "fields"}]}}, or on {@code …/{recordId}} with {@code {"fields"}}; answered with the
 *       whole records) and delete ({@code DELETE /v0/{baseId}/{table}?records[]=…}, answered {@code
 *       {"records": [{"id", "deleted": true}]}}, or {@code …/{recordId}}, answered {@code {"id",
 *       "deleted": true}}). At most 10 records a request; fields by name or id; values checked
 *       against the field type (text types take strings, number types numbers, selects a choice of
 *       the field, links ids of records of the linked table, dates ISO dates, checkboxes booleans;
 *       computed fields take nothing; {@code typecast: true} converts strings and numbers and takes
 *       new select options without adding them to the schema). Errors: 422 {@code INVALID_RECORDS}
 *       (no records, more than 10, or one without an id to update), {@code UNKNOWN_FIELD_NAME},
 *       {@code INVALID_VALUE_FOR_COLUMN}, {@code INVALID_MULTIPLE_CHOICE_OPTIONS}, {@code
 *       ROW_DOES_NOT_EXIST} (a link to a missing record), {@code INVALID_REQUEST_MISSING_FIELDS};
 *       404 {@code MODEL_ID_NOT_FOUND} for a missing record; 400 {@code INVALID_REQUEST_BODY} for a
 *       body that is not JSON. A request is one transaction: all of it or, on any error, nothing;
 *       it counts against the rate limit and faults like any request, and every active webhook gets
 *       one payload for it. {@code performUpsert} is refused (422). {@code DemoNight} is the demo's
 *       scripted day of writes.
 *   <li>{@code POST /_sim/bases/{baseId}/edits} (no token): one transaction of record creations,
 *       updates and destructions and field creations, renames, retypes and destructions, which
 *       listings answer from then on and every active webhook receives as one payload; the same
 *       from Java with {@link dev.integrity.sim.AirtableSimulator#apply} and {@link
 *       dev.integrity.sim.Edits}.
 * </ul>
 *
 * <p>Errors use Airtable's envelopes: 401 {@code AUTHENTICATION_REQUIRED} without the right {@code
 * Authorization: Bearer} token; 404 {@code {"error":"NOT_FOUND"}} for an unknown base, route or
 * record (the envelope Airtable answers with no type or message); 404 {@code {"error": {"type":
 * "TABLE_NOT_FOUND", "message": …}}} for an unknown table of a known base, as Airtable names the
 * table and base in its message; 422 {@code INVALID_REQUEST_UNKNOWN}, {@code UNKNOWN_FIELD_NAME},
 * {@code INVALID_OFFSET_VALUE} (an offset this server never issued) and {@code
 * LIST_RECORDS_ITERATOR_NOT_AVAILABLE} (an offset older than {@code offsetTtl}); 414 for URLs over
 * 16,000 characters; 413 for bodies over 4 MiB; 429 {@code
 * {"errors":[{"error":"RATE_LIMIT_REACHED",…}]}} when a base gets more than {@code
 * rateLimitPerSecond} requests in a sliding second, after which the base answers 429 for {@code
 * lockout}. Scripted faults ({@link dev.integrity.sim.Faults}) come on top.
 *
 * <h2>Dataset directory format ({@link dev.integrity.sim.Dataset#load})</h2>
 *
 * <p>A directory of UTF-8 JSON files. {@code base.json} (optional) holds {@code {"id": "app…"}};
 * without it the base id is derived from the directory name. Every other {@code *.json} file is one
 * table; tables are ordered by file name (hence {@link dev.integrity.sim.Dataset#writeTo} writes
 * {@code 01-teachers.json}, {@code 02-classes.json}, …). A table file:
 *
 * <pre>{@code
 * {
 *   "id": "tbl…",                     // optional: derived from the base id and table name
 *   "name": "Classes",                // optional: the file name without .json
 *   "primaryFieldId": "fld…",         // or "primaryField": "Name"; default: the first field
 *   "fields": [                       // optional: inferred from the records when absent
 *     {"name": "Name"},               // type defaults to singleLineText, id is derived
 *     {"id": "fld…", "name": "Status", "type": "singleSelect", "choices": ["Active", "Archived"]},
 *     {"name": "Teacher", "type": "multipleRecordLinks", "linkedTable": "Teachers",
 *      "prefersSingleRecordLink": true}, // optional, default false
 *     {"name": "Teacher name", "type": "multipleLookupValues",   // computed fields, all optional:
 *      "options": {"recordLinkFieldId": "Teacher",     // a link field of this table (name or id)
 *                  "fieldIdInLinkedTable": "Name",     // a field of the linked table (name or id)
 *                  "result": {"type": "singleLineText"}}}  // default: the looked-up field's type
 *   ],
 *   "records": [
 *     {"id": "rec…", "createdTime": "2024-06-01T08:00:00.000Z",   // both optional
 *      "fields": {"Name": "Algebra I", "Status": "Active", "Teacher": ["rec…"]}}
 *   ]
 * }
 * }</pre>
 *
 * <p>Airtable's own Meta API field shape ({@code "options": {"choices": [{"name": …}],
 * "linkedTableId": …}}) is accepted too, and {@code linkedTable} may name a table or give its id.
 * Ids must be Airtable-shaped (prefix plus 14 characters of [A-Za-z0-9]); missing record ids are
 * generated deterministically. Empty values ({@code null}, {@code ""}, {@code []}, {@code false})
 * are dropped, as Airtable omits them. Inferred field types: number, checkbox, multipleSelects (for
 * arrays) or singleLineText. Computed fields ({@code formula}, {@code rollup}, {@code
 * multipleLookupValues}/{@code lookup}, {@code count}) may declare {@code options.result.type},
 * {@code recordLinkFieldId} and {@code fieldIdInLinkedTable} as above; the Meta API serves them and
 * webhook payloads group lookups by them. The simulator does not compute these fields: their values
 * are the ones the records hold. Any error names the file (and record) at fault.
 *
 * <h2>The demo base ({@link dev.integrity.sim.Dataset#demo})</h2>
 *
 * <p>Base {@code appDemoSchool2024}, generated from a fixed seed:
 *
 * <ul>
 *   <li>Teachers (300): Name, Email (email), Phone (phoneNumber), Subject (singleSelect), Hire Date
 *       (date).
 *   <li>Classes (1,200): Name, Code ({@code ^[A-Z]{3}-\d{3}$}), Teacher (link to Teachers), Status
 *       (singleSelect Active/Archived), Capacity (number, 12–35), Start Date, End Date (date),
 *       Room.
 *   <li>Students (10,000): Name, Email (email), Grade (number 9–12), Birth Date (date), Homepage
 *       (url), Tags (multipleSelects).
 *   <li>Enrollments (10,000): Enrollment, Student (link), Class (link), Enrolled On (text, ISO
 *       dates mostly), Status (singleSelect Enrolled/Waitlisted/Dropped/Completed).
 * </ul>
 *
 * <p>Planted defects, one at most per record, each kind 1–2.5% of its table: missing required
 * values, duplicate e-mails differing only in case or surrounding spaces, invalid e-mails, phones
 * and URLs, out-of-range grades, capacities, hire and birth dates, numbers sent as strings, bad
 * codes, classes with no or two teachers, links to deleted records, end dates before start dates,
 * select and multi-select values outside the options, badly formatted enrollment dates, and
 * duplicate (student, class) enrollments. {@code examples/demo/integrity.yml} checks them all.
 */
package dev.integrity.sim;
