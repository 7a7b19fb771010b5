import assert from "node:assert/strict";
import { decodeEventLines, type EventLine, quoteFieldString } from "./event_line.ts";

function one(text: string): EventLine {
  const [decoded, ...rest] = decodeEventLines(text);
  assert.equal(rest.length, 0);
  if (!decoded.ok) throw new Error(`line ${decoded.bad.lineNo}: ${decoded.bad.error}`);
  return decoded.line;
}

function error(text: string): string {
  const [decoded] = decodeEventLines(text);
  assert.equal(decoded.ok, false);
  return decoded.ok ? "" : decoded.bad.error;
}

Deno.test("decodeEventLines() decodes a job event with its JSON payload", () => {
  const line = one(
    'job,function=start_job event="{\\"jobId\\":1001,\\"user\\":\\"u\\"}" 1234567890000000000',
  );
  assert.equal(line.measurement, "job");
  assert.deepEqual(line.tags, { function: "start_job" });
  assert.deepEqual(JSON.parse(line.fields.event as string), { jobId: 1001, user: "u" });
  assert.equal(line.timestamp, 1234567890000000000n);
});

Deno.test("decodeEventLines() string escapes", async (t) => {
  await t.step('\\\\ and \\" decode; an escaped quote inside JSON survives', () => {
    const line = one('job event="{\\"user\\":\\"test\\\\\\"user\\"}" 1');
    assert.deepEqual(JSON.parse(line.fields.event as string), { user: 'test"user' });
  });
  await t.step("\\n, \\r and \\t become control characters", () => {
    assert.equal(one('m s="a\\nb\\rc\\td" 1').fields.s, "a\nb\rc\td");
  });
  await t.step("other backslash sequences stay as they are", () => {
    assert.equal(one('m s="a\\xb\\u00e9" 1').fields.s, "a\\xb\\u00e9");
  });
  await t.step("quoteFieldString() is the inverse", () => {
    const json = JSON.stringify({ s: 'a"b\\c\nd', t: "ñ" });
    const line = one(`m event=${quoteFieldString(json)} 5`);
    assert.equal(line.fields.event, json);
  });
});

Deno.test("decodeEventLines() field types, escaped names, UTF-8", () => {
  const line = one(
    'my\\ meas,host\\,name=a\\ b\\=c,type=node f=1.5,i=-3i,u=7u,b=true,B=F,s="ñ" 1000000000000000000',
  );
  assert.equal(line.measurement, "my meas");
  assert.deepEqual(line.tags, { "host,name": "a b=c", type: "node" });
  assert.deepEqual(line.fields, { f: 1.5, i: -3, u: 7, b: true, B: false, s: "ñ" });
});

Deno.test("decodeEventLines() rejects", async (t) => {
  await t.step("a line without timestamp or with 0", () => {
    assert.equal(error('job event="{}"'), "timestamp cannot be zero");
    assert.equal(error('job event="{}" 0'), "timestamp cannot be zero");
  });
  await t.step("a line without fields", () => {
    assert.equal(error("job,function=start_job"), "missing fields");
    assert.equal(error("job,function=start_job  "), "missing fields");
  });
  await t.step("free text", () => {
    assert.match(error("invalid line protocol format"), /field "line" has no value/);
  });
  await t.step("an unescaped quote inside a string", () => {
    assert.match(error('job event="{"cluster":"x"}" 1'), /not escaped/);
  });
  await t.step("an unterminated string", () => {
    assert.match(error('job event="{ 1'), /without closing/);
  });
  await t.step("a bad timestamp", () => {
    assert.match(error("m v=1 12ab"), /invalid timestamp/);
    assert.match(error("m v=1 99999999999999999999"), /out of range/);
  });
  await t.step("a bad tag", () => {
    assert.match(error("m,novalue v=1 1"), /has no value/);
    assert.match(error("m,k= v=1 1"), /empty value/);
  });
});

Deno.test("decodeEventLines() keeps going after a bad line; skips blanks and comments", () => {
  const decoded = decodeEventLines('# comment\n\nbad\r\njob event="x" 1\r\n');
  assert.equal(decoded.length, 2);
  assert.equal(decoded[0].ok, false);
  assert.equal(decoded[0].ok ? 0 : decoded[0].bad.lineNo, 3);
  assert.equal(decoded[1].ok && decoded[1].line.fields.event, "x");
  assert.equal(decoded[1].ok && decoded[1].line.lineNo, 4);
});
