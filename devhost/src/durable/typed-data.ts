// Conversions between RPC typed data and the JSON texts the durable store keeps.
import type { RpcTypedData } from '../contracts.js';

/** A function's return value as JSON text ("null" when it returned nothing). */
export function typedDataToJson(data: RpcTypedData | undefined): string {
  if (!data) return 'null';
  if (typeof data.json === 'string') return data.json;
  if (typeof data.string === 'string') return JSON.stringify(data.string);
  if (typeof data.int === 'number') return String(data.int);
  if (typeof data.double === 'number') return String(data.double);
  const bytes = data.bytes ?? data.stream;
  if (bytes) return JSON.stringify(Buffer.from(bytes).toString('base64'));
  return 'null';
}

/** A function's return value parsed. */
export function typedDataToValue(data: RpcTypedData | undefined): unknown {
  return JSON.parse(typedDataToJson(data)) as unknown;
}
