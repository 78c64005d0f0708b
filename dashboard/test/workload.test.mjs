// The browser test's reader of scripts/workload.jsonl (the same fields WorkloadFile reads).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { workload } from '../e2e/stack.mjs';

test('workload: the shipped file, with none as empty strings', () => {
  const requests = workload();
  assert.equal(requests.length, 19);
  assert.deepEqual(requests[1], { expected: 'fast-path', method: 'HEAD', path: '/readyz', contentType: '', body: '' });
  assert.deepEqual(new Set(requests.map((r) => r.expected)), new Set(['fast-path', 'high-compute', 'general']));
});

test('workload: a body that is not a string is sent as its JSON text; a missing field is named', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'workload-'));
  const file = path.join(dir, 'w.jsonl');
  fs.writeFileSync(file, '{"expected":"general","method":"POST","path":"/b","body":{"x":[1]}}\n\n');
  assert.equal(workload(file)[0].body, '{"x":[1]}');
  fs.writeFileSync(file, '{"expected":"general","path":"/b"}\n');
  assert.throws(() => workload(file), /w\.jsonl:1: 'method' missing/);
  fs.rmSync(dir, { recursive: true });
});
