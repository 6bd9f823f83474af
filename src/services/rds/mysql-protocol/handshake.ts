import { Capability, Charset, SERVER_CAPABILITIES, ServerStatus } from './constants.ts';
import { NATIVE_PASSWORD_PLUGIN } from './auth.ts';
import { PayloadReader, PayloadWriter } from './packets.ts';

/** The server's first packet, Protocol::HandshakeV10. */
export function handshakeV10(serverVersion: string, connectionId: number, scramble: Buffer): Buffer {
  return new PayloadWriter()
    .int1(10)
    .nulString(serverVersion)
    .int4(connectionId)
    .bytes(scramble.subarray(0, 8))
    .int1(0)
    .int2(SERVER_CAPABILITIES & 0xffff)
    .int1(Charset.UTF8MB4)
    .int2(ServerStatus.AUTOCOMMIT)
    .int2(SERVER_CAPABILITIES >>> 16)
    .int1(scramble.length + 1)
    .zeros(10)
    .bytes(scramble.subarray(8))
    .int1(0)
    .nulString(NATIVE_PASSWORD_PLUGIN)
    .build();
}

/** Protocol::HandshakeResponse41, as far as palisade uses it. */
export interface HandshakeResponse {
  capabilities: number;
  user: string;
  authResponse: Buffer;
  database?: string;
  authPlugin?: string;
}

export function parseHandshakeResponse(payload: Buffer): HandshakeResponse {
  const reader = new PayloadReader(payload);
  const capabilities = reader.int4();
  if (!(capabilities & Capability.PROTOCOL_41)) throw new Error('the client does not speak protocol 4.1');
  reader.skip(4 + 1 + 23);
  const user = reader.nulString();
  let authResponse: Buffer;
  if (capabilities & Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA) authResponse = reader.bytes(reader.lenencInt());
  else if (capabilities & Capability.SECURE_CONNECTION) authResponse = reader.bytes(reader.int1());
  else authResponse = Buffer.from(reader.nulString(), 'utf8');
  const database = capabilities & Capability.CONNECT_WITH_DB && reader.remaining > 0 ? reader.nulString() : undefined;
  const authPlugin = capabilities & Capability.PLUGIN_AUTH && reader.remaining > 0 ? reader.nulString() : undefined;
  return { capabilities, user, authResponse, database: database || undefined, authPlugin };
}

/** Protocol::AuthSwitchRequest, asking a client that offered another plugin to use mysql_native_password. */
export function authSwitchRequest(scramble: Buffer): Buffer {
  return new PayloadWriter().int1(0xfe).nulString(NATIVE_PASSWORD_PLUGIN).bytes(scramble).int1(0).build();
}
