import { deepEqual, equal, ok } from "node:assert/strict";
import {
  LINE_END,
  LINE_ERROR,
  LINE_OK,
  LineParser,
  TAG_CLUSTER,
  TAG_COUNT,
  TAG_HOST,
  TAG_STYPE,
  TAG_STYPE_ID,
  TAG_TYPE,
  TAG_TYPE_ID,
  unescape,
} from "./line_protocol.ts";

interface Parsed {
  line: number;
  error?: string;
  metric?: string;
  tags?: Record<string, string>;
  value?: number;
  ts?: number;
}

const TAG_NAMES = ["cluster", "host", "type", "type-id", "stype", "stype-id"];

function parseAll(text: string | Uint8Array): Parsed[] {
  const buf = typeof text === "string" ? new TextEncoder().encode(text) : text;
  const p = new LineParser();
  p.reset(buf);
  const out: Parsed[] = [];
  for (;;) {
    const status = p.next();
    if (status === LINE_END) break;
    if (status === LINE_ERROR) {
      out.push({ line: p.lineNo, error: p.error });
      continue;
    }
    equal(status, LINE_OK);
    const tags: Record<string, string> = {};
    for (let id = 0; id < TAG_COUNT; id++) {
      if (p.tagStart[id] < 0) continue;
      tags[TAG_NAMES[id]] = unescape(
        buf,
        p.tagStart[id],
        p.tagEnd[id],
        (p.tagEscaped & (1 << id)) !== 0,
      );
    }
    out.push({
      line: p.lineNo,
      metric: unescape(buf, p.measStart, p.measEnd, p.measEscaped),
      tags,
      value: p.value,
      ts: p.timestamp,
    });
  }
  return out;
}

Deno.test("LineParser reads metric, the store's tags, value and timestamp", () => {
  deepEqual(
    parseAll(
      "flops_any,cluster=fritz,hostname=f0101,type=core,type-id=23,foo=bar value=1203.3 1725827464\n",
    ),
    [{
      line: 1,
      metric: "flops_any",
      tags: { cluster: "fritz", host: "f0101", type: "core", "type-id": "23" },
      value: 1203.3,
      ts: 1725827464,
    }],
  );
  const [line] = parseAll("m,stype-id=1,stype=memoryDomain,type-id=0,type=socket,host=h value=1i");
  deepEqual(line.tags, {
    host: "h",
    type: "socket",
    "type-id": "0",
    stype: "memoryDomain",
    "stype-id": "1",
  });
  equal(line.ts, -1, "no timestamp");
  ok(TAG_CLUSTER === 0 && TAG_HOST === 1 && TAG_TYPE === 2);
  ok(TAG_TYPE_ID === 3 && TAG_STYPE === 4 && TAG_STYPE_ID === 5);
});

Deno.test("LineParser handles escapes in measurement, tag keys and values", () => {
  const [line] = parseAll(String.raw`my\ metric\,x,host=a\ b\,c\=d,ty\=pe=x value=2 100`);
  equal(line.metric, "my metric,x");
  deepEqual(line.tags, { host: "a b,c=d" });
  equal(line.value, 2);
  // A backslash before another character is literal.
  deepEqual(parseAll(String.raw`m,host=a\b value=1`)[0].tags, { host: String.raw`a\b` });
});

Deno.test("LineParser skips comments, blank lines and CR, and numbers lines", () => {
  const lines = parseAll(
    "# a comment\r\n\r\n   \n  # indented comment\nm,host=a value=1 10\r\nm,host=b value=2 20",
  );
  deepEqual(lines.map((l) => [l.line, l.tags?.host, l.value, l.ts]), [[5, "a", 1, 10], [
    6,
    "b",
    2,
    20,
  ]]);
});

Deno.test("LineParser rejects bad lines one by one and keeps going", () => {
  const lines = parseAll([
    "m,host=a value=1 10",
    "m,host=a other=1 10",
    "m,host=a value=1,other=2 10",
    "m,host=a value=1,value=2 10",
    'm,host=a value="a string, with spaces" 10',
    "m,host=a value=true 10",
    "m,host=a value=NaN 10",
    "m,host=a value=+Inf 10",
    "m,host=a value=1e999 10",
    "m,host=a value=1 10 extra",
    "m,host=a value=1 1.5",
    "m,host= value=1",
    "m,=x value=1",
    "m,host value=1",
    ",host=a value=1",
    "m,host=a",
    "m,host=a value=",
    "m,host=a value=99999999999999999999i",
    "m value=3 30",
  ].join("\n"));
  const errors = lines.map((l) => l.error ?? "ok");
  equal(errors[0], "ok");
  ok(errors[1].includes('unknown field "other"'));
  ok(errors[2].includes('unknown field "other"'));
  ok(errors[3].includes("given twice"));
  ok(errors[4].includes("string values"));
  ok(errors[5].includes("boolean"));
  equal(errors[6], "ok");
  ok(Number.isNaN(lines[6].value));
  ok(errors[7].includes("not finite"));
  ok(errors[8].includes("not finite"));
  ok(errors[9].includes("after the timestamp"));
  ok(errors[10].includes("invalid timestamp"));
  ok(errors[11].includes("empty value"));
  ok(errors[12].includes("empty tag key"));
  ok(errors[13].includes("has no value"));
  ok(errors[14].includes("missing measurement"));
  ok(errors[15].includes("missing field value"));
  ok(errors[16].includes("missing field value"));
  ok(errors[17].includes("out of range"));
  equal(errors[18], "ok");
  deepEqual(lines.map((l) => l.line), Array.from({ length: 19 }, (_, i) => i + 1));
});

Deno.test("LineParser keeps a newline inside a quoted string from swallowing the next line", () => {
  const lines = parseAll('m,host=a value="first\nm,host=b value=2 20"\nm,host=c value=3 30');
  equal(lines.length, 3);
  ok(lines[0].error?.includes("string values"));
  // The second physical line is its own (bad) line; the third is intact.
  ok(lines[1].error !== undefined);
  equal(lines[2].tags?.host, "c");
  equal(lines[2].value, 3);
});

Deno.test("LineParser parses a truncated last line as far as it goes", () => {
  deepEqual(parseAll("m,host=a value=1 10\nm,host=b value=2").map((l) => l.value), [1, 2]);
  const lines = parseAll("m,host=a value=1 10\nm,host=b val");
  equal(lines[0].value, 1);
  ok(lines[1].error?.includes("has no value"));
  ok(parseAll("m,host=a value=1 10\nm,hos")[1].error?.includes("has no value"));
});

Deno.test("LineParser copes with 1 MB lines", () => {
  const long = "x".repeat(1 << 20);
  const text =
    `m,host=a,junk=${long} value=7 70\nm,host=${long} value=8 80\n${long}\nm,host=b value=9 90`;
  const lines = parseAll(text);
  equal(lines.length, 4);
  equal(lines[0].value, 7);
  equal(lines[1].tags?.host.length, 1 << 20);
  ok(lines[2].error !== undefined);
  equal(lines[3].value, 9);
});

Deno.test("LineParser scans only the given range", () => {
  const buf = new TextEncoder().encode("junk\nm,host=a value=1 10\njunk");
  const p = new LineParser();
  p.reset(buf, 5, 25, 2);
  equal(p.next(), LINE_OK);
  equal(p.lineNo, 2);
  equal(p.next(), LINE_END);
});

Deno.test("LineParser gives the same answers on its one-field fast path as on the general one", () => {
  // Each pair: the fields written as the fast path takes them (`value=` first, one space
  // after the number) and as only the general loop does.
  const cases: [string, Parsed | string][] = [
    ["value=1.5 1000", { line: 1, value: 1.5, ts: 1000 }],
    ["value=1.5  1000", { line: 1, value: 1.5, ts: 1000 }],
    ["value=1.5 1000000000000", { line: 1, value: 1.5, ts: 1000000000 }],
    ["value=-2e3 1000\r", { line: 1, value: -2000, ts: 1000 }],
    ["value=7i 1000", { line: 1, value: 7, ts: 1000 }],
    ["value=x 1000", 'invalid number "x"'],
    ['value="s" 1000', "string values are not supported"],
    ["value=1\r 1000", 'invalid number "1\\r"'],
    ["value= 1000", "missing field value"],
    ["value=1 1000 2000", "unexpected text after the timestamp: 2000"],
    ["value=1 x", 'invalid timestamp "x"'],
    ["value=1,value=2 1000", 'field "value" given twice'],
    ["value=1.5 1790000000", { line: 1, value: 1.5, ts: 1790000000 }],
    ["value=1.5 9000000000", { line: 1, value: 1.5, ts: 9000000000 }],
    ["value=1.5 0790000000", { line: 1, value: 1.5, ts: 790000000 }],
    ["value=1.5 1790000000\r", { line: 1, value: 1.5, ts: 1790000000 }],
    ["value=1.5 1790000000000", { line: 1, value: 1.5, ts: 1790000000 }],
    ["value=1.5 179000000x", 'invalid timestamp "179000000x"'],
    ["value=-0.25 1790000000 ", { line: 1, value: -0.25, ts: 1790000000 }],
  ];
  for (const [fields, expected] of cases) {
    for (const text of [`m,hostname=h ${fields}\n`, `m,hostname=h ${fields}`]) {
      const [got] = parseAll(text);
      if (typeof expected === "string") deepEqual(got, { line: 1, error: expected }, text);
      else {
        deepEqual({ line: got.line, value: got.value, ts: got.ts }, expected, text);
      }
    }
  }
});
