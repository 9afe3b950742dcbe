/**
 * The Airtable Web API client: list-records paging ({@code RecordPages}) over one transport ({@code
 * Transport}: the base's adaptive and the token's rate limiters, OkHttp deadlines that cover the
 * body, Failsafe retries, cancellation through {@code FetchControl}), error classification and
 * wording ({@code Failures}), the Meta API schema, and the webhooks lifecycle ({@code
 * AirtableWebhooks}, {@code MirrorChanges}), and the one conversion of webhook cell values into the
 * list-records format ({@code WebhookCells}), so every value leaves this package in the shape a
 * list-records call gives, whichever road it came by (docs/airtable-formats.md). The record and
 * schema values it produces live in {@code model}.
 *
 * <p>It owns every byte sent to Airtable and never touches the store, the run engine, the web or
 * the CLI; it depends only on {@code model} and {@code common}. Its defaults are the contract's,
 * written once in {@code AirtableSettings}.
 */
package dev.integrity.airtable;
