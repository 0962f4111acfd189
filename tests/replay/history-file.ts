// History files of the replay test. The SDK's own historyToJSON/historyFromJSON fail in this
// install (a nested protobufjs 8 next to the protobufjs 7 the protos were built with: "type must
// be a Type"), so the files hold protobufjs' JSON form of the History message instead: enums as
// names, int64 as strings, bytes as base64, timestamps as {seconds, nanos}. Readable, diffable, and
// loaded back through the same generated message class the worker uses.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import type { History } from '@temporalio/common/lib/proto-utils';

const HistoryMessage = proto.temporal.api.history.v1.History;
export const HISTORIES_DIR = fileURLToPath(new URL('./histories', import.meta.url));

export function historyToFileText(history: History): string {
  return `${JSON.stringify(HistoryMessage.fromObject(history).toJSON(), null, 1)}\n`;
}

export function historyFromFileText(text: string): History {
  return HistoryMessage.fromObject(JSON.parse(text));
}

export interface RecordedHistory {
  workflowType: string;
  name: string;
  file: string;
  history: History;
}

/** Every recorded history, per workflow type (one folder each). */
export function recordedHistories(dir = HISTORIES_DIR): RecordedHistory[] {
  return readdirSync(dir).sort().flatMap((workflowType) =>
    readdirSync(join(dir, workflowType)).filter((f) => f.endsWith('.json')).sort().map((f) => {
      const file = join(dir, workflowType, f);
      return { workflowType, name: basename(f, '.json'), file, history: historyFromFileText(readFileSync(file, 'utf8')) };
    }));
}
