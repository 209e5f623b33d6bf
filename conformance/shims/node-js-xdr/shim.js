#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
'use strict';
/*
 * node-js-xdr: a qemud-harness conformance shim built on @stellar/js-xdr.
 *
 * It plays a third-party implementation: types.js declares the protocol by
 * hand in js-xdr's xdr.config DSL, js-xdr reads and writes the bytes, and
 * this file maps between js-xdr values and the JSON value model of
 * docs/SHIM-CONTRACT.md, then answers the runner one JSON object per line:
 *
 *   (cd conformance/shims/node-js-xdr && npm ci)
 *   qemud-conform --shim 'node conformance/shims/node-js-xdr/shim.js'
 *
 * README.md beside this file lists what js-xdr cannot say directly and how
 * the shim works around it. Logging goes to stderr; stdout carries replies.
 */
const readline = require('node:readline');
const xdr = require('@stellar/js-xdr');
const { version: JS_XDR_VERSION } = require('@stellar/js-xdr/package.json');
const {
  types, FRAMINGS, CharWord, UCharWord, QEMUD_PKT_HEADER_MAGIC, QEMUD_PKT_HEADER_XDR_LEN, MAX_PAYLOAD, MIN_PAYLOAD,
} = require('./types');

const SHIM_NAME = 'node-js-xdr';
const SHIM_VERSION = `1.0.0 (@stellar/js-xdr ${JS_XDR_VERSION}, Node ${process.version})`;
const KINDS = ['header', 'client', 'server', 'client_message', 'server_message'];
const FRAMED_KINDS = ['header', 'client_message', 'server_message'];
const PACKET = { client: types.qemud_packet_client, server: types.qemud_packet_server };

/** CodecError is a refused value or a rejected wire, named by field path and, when decoding, byte offset. */
class CodecError extends Error {
  constructor(path, message, offset) {
    const where = path || (offset === undefined ? 'value' : 'wire');
    super(offset === undefined ? `${where}: ${message}` : `${where} at 0x${offset.toString(16)}: ${message}`);
  }
}

const join = (path, name) => (path ? `${path}.${name}` : name);
const show = (value) => String(JSON.stringify(value)).slice(0, 60);
const hex8 = (word) => (word >>> 0).toString(16).padStart(8, '0');

// js-xdr's resolved types keep their layout in underscore members (_fields,
// _arms, _childType, _length); the version is pinned, so the shim reads them.
const isStruct = (type) => typeof type === 'function' && type.prototype instanceof xdr.Struct;
const isUnion = (type) => typeof type === 'function' && type.prototype instanceof xdr.Union;
const isCharArray = (type) => type instanceof xdr.Array && (type._childType === CharWord || type._childType === UCharWord);

/** armOf returns { member, arm } (arm a member name or xdr.Void) for an enum name or value; undefined if it has no arm. */
function armOf(union, nameOrValue) {
  try {
    const member = typeof nameOrValue === 'string'
      ? union._switchOn.fromName(nameOrValue) : union._switchOn.fromValue(nameOrValue);
    return { member, arm: union.armForSwitch(member) };
  } catch (err) {
    return undefined; // not a member, or a member with no arm (..._PKT_MAX)
  }
}

// ---------------------------------------------------------------------------
// Encode: JSON value -> js-xdr value. js-xdr range-checks ints itself, but it
// ignores extra struct members and cannot name the field, so check here.
// ---------------------------------------------------------------------------

function checkInt(value, low, high, path) {
  if (value instanceof FloatToken) {
    throw new CodecError(path, `expected an integer, got the number ${value.text} (a fraction or an exponent)`);
  }
  if (!Number.isInteger(value)) throw new CodecError(path, `expected an integer, got ${show(value)}`);
  if (value < low || value > high) throw new CodecError(path, `${value} is out of range ${low}..${high}`);
  return value;
}

function checkMembers(value, names, path) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CodecError(path, `expected an object, got ${show(value)}`);
  }
  const missing = names.filter((name) => !Object.prototype.hasOwnProperty.call(value, name));
  const extra = Object.keys(value).filter((name) => !names.includes(name)).sort();
  if (missing.length) throw new CodecError(path, `missing member(s) ${missing.join(', ')}`);
  if (extra.length) throw new CodecError(path, `unexpected member(s) ${extra.join(', ')}`);
}

function fromJson(type, value, path) {
  if (type === xdr.Int) return checkInt(value, -0x80000000, 0x7fffffff, path);
  if (type === xdr.UnsignedInt) return checkInt(value, 0, 0xffffffff, path);
  if (type === xdr.UnsignedHyper) {
    // uint64_t travels as a decimal string; js-xdr wants a BigInt.
    if (typeof value !== 'string' || !/^(0|[1-9][0-9]*)$/.test(value) || BigInt(value) > xdr.UnsignedHyper.MAX_VALUE) {
      throw new CodecError(path, `expected a decimal string 0..18446744073709551615, got ${show(value)}`);
    }
    return BigInt(value);
  }
  if (isCharArray(type)) {
    const n = type._length;
    if (typeof value !== 'string' || value.length !== 2 * n || !/^[0-9a-fA-F]*$/.test(value)) {
      throw new CodecError(path, `expected a hex string of exactly ${2 * n} digits`);
    }
    // One XDR int per byte; a char is sign-extended, as xdr_char writes it where char is signed.
    const signed = type._childType === CharWord;
    return Array.from(Buffer.from(value, 'hex'), (b) => (signed && b >= 0x80 ? b - 0x100 : b));
  }
  if (type instanceof xdr.Array) {
    if (!Array.isArray(value) || value.length !== type._length) {
      throw new CodecError(path, `expected an array of exactly ${type._length} integers`);
    }
    return value.map((item, i) => fromJson(type._childType, item, `${path}[${i}]`));
  }
  if (isUnion(type)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CodecError(path, `expected an object, got ${show(value)}`);
    }
    const found = typeof value.type === 'string' ? armOf(type, value.type) : undefined;
    if (!found) throw new CodecError(join(path, 'type'), `unknown type ${show(value.type)}`);
    if (found.arm === xdr.Void) {
      checkMembers(value, ['type'], path);
      return new type(found.member);
    }
    checkMembers(value, ['type', found.arm], path);
    return new type(found.member, fromJson(type._arms[found.arm], value[found.arm], join(path, found.arm)));
  }
  if (isStruct(type)) {
    checkMembers(value, type._fields.map(([name]) => name), path);
    const attributes = {};
    for (const [name, fieldType] of type._fields) attributes[name] = fromJson(fieldType, value[name], join(path, name));
    return new type(attributes);
  }
  throw new Error(`no JSON mapping for ${type.name || type.constructor.name}`);
}

// ---------------------------------------------------------------------------
// Decode: js-xdr value -> JSON value. js-xdr has already rejected truncation,
// trailing bytes and unknown discriminants; char words are checked here.
// pos.offset follows the wire so that errors can give a byte offset.
// ---------------------------------------------------------------------------

function byteFromWord(elementType, word, path, offset) {
  if (elementType === CharWord) {
    // -128..-1: canonical sign-extended 0x80..0xFF; 0..127: canonical;
    // 128..255: zero-extended, as unsigned-char platforms write it (accepted).
    if (word >= -128 && word <= 255) return word & 0xff;
    throw new CodecError(path, `char element 0x${hex8(word)} is neither a sign- nor a zero-extended byte`, offset);
  }
  if (word <= 0xff) return word;
  throw new CodecError(path, `unsigned char element 0x${hex8(word)} has high bits set`, offset);
}

function toJson(type, value, path, pos) {
  if (type === xdr.Int || type === xdr.UnsignedInt) {
    pos.offset += 4;
    return value;
  }
  if (type === xdr.UnsignedHyper) {
    pos.offset += 8;
    return value.toString();
  }
  if (isCharArray(type)) {
    const bytes = Buffer.alloc(value.length);
    value.forEach((word, i) => {
      bytes[i] = byteFromWord(type._childType, word, `${path}[${i}]`, pos.offset);
      pos.offset += 4;
    });
    return bytes.toString('hex');
  }
  if (type instanceof xdr.Array) return value.map((item, i) => toJson(type._childType, item, `${path}[${i}]`, pos));
  if (isUnion(type)) {
    pos.offset += 4;
    const json = { type: value.switch().name };
    if (value.arm() !== xdr.Void) json[value.arm()] = toJson(type._arms[value.arm()], value.value(), join(path, value.arm()), pos);
    return json;
  }
  if (isStruct(type)) {
    const json = {};
    for (const [name, fieldType] of type._fields) json[name] = toJson(fieldType, value[name](), join(path, name), pos);
    return json;
  }
  throw new Error(`no JSON mapping for ${type.name || type.constructor.name}`);
}

/**
 * locate walks a wire that js-xdr rejected to say where it goes wrong: the
 * first field cut short, an unknown discriminant, or trailing bytes. js-xdr's
 * own messages give no position. It returns null when it finds nothing.
 */
function locate(type, buf, path, pos) {
  if (type instanceof xdr.Array) {
    for (let i = 0; i < type._length; i++) {
      const found = locate(type._childType, buf, `${path}[${i}]`, pos);
      if (found) return found;
    }
    return null;
  }
  if (isStruct(type)) {
    for (const [name, fieldType] of type._fields) {
      const found = locate(fieldType, buf, join(path, name), pos);
      if (found) return found;
    }
    return null;
  }
  const leafPath = isUnion(type) ? join(path, 'type') : path;
  const size = type === xdr.UnsignedHyper ? 8 : 4;
  if (pos.offset + size > buf.length) {
    return { path: leafPath, offset: pos.offset, message: `truncated: ${size} bytes needed, ${Math.max(0, buf.length - pos.offset)} left` };
  }
  if (isUnion(type)) {
    const discriminant = buf.readInt32BE(pos.offset);
    const found = armOf(type, discriminant);
    if (!found) return { path: leafPath, offset: pos.offset, message: `unknown discriminant ${discriminant}` };
    pos.offset += 4;
    return found.arm === xdr.Void ? null : locate(type._arms[found.arm], buf, join(path, found.arm), pos);
  }
  pos.offset += size;
  return null;
}

/** decodeWhole decodes buf as type, rejecting trailing bytes; base is buf's offset in the wire. */
function decodeWhole(type, buf, base) {
  let value;
  try {
    value = type.fromXDR(buf);
  } catch (err) {
    const pos = { offset: 0 };
    const found = locate(type, buf, '', pos)
      || (pos.offset < buf.length
        ? { path: '', offset: pos.offset, message: `${buf.length - pos.offset} trailing byte(s) after the last field` }
        : { path: '', offset: 0, message: 'rejected' });
    throw new CodecError(found.path, `${found.message} (js-xdr: ${err.message})`, base + found.offset);
  }
  return toJson(type, value, '', { offset: base });
}

// ---------------------------------------------------------------------------
// The five kinds of docs/SHIM-CONTRACT.md. Every header goes through a
// FRAMINGS profile (types.js): its word order, its constant member, and
// whether its length counts the header.
// ---------------------------------------------------------------------------

const overhead = (framing) => (framing.lengthCountsHeader ? QEMUD_PKT_HEADER_XDR_LEN : 0);
const measures = (framing) => (framing.lengthCountsHeader ? 'message' : 'payload');
const wordOffset = (framing, name) => 4 * framing.header._fields.findIndex(([member]) => member === name);

/** bareHeaderBounds: a bare header has no direction, so the smallest client to the largest server length. */
const bareHeaderBounds = (framing) => ({
  low: MIN_PAYLOAD.client + overhead(framing),
  high: MAX_PAYLOAD.server + overhead(framing),
  noun: `${measures(framing)} of either direction`,
});

const messageBounds = (framing, direction) => ({
  low: MIN_PAYLOAD[direction] + overhead(framing),
  high: MAX_PAYLOAD[direction] + overhead(framing),
  noun: `${direction} ${measures(framing)}`,
});

/**
 * checkHeader holds a header's JSON value to its profile: the constant word,
 * then a length that is a multiple of 4 in low..high. at is the header's
 * offset when decoding (undefined when encoding).
 */
function checkHeader(framing, header, { low, high, noun }, path, at) {
  const fail = (name, message) => {
    throw new CodecError(join(path, name), message, at === undefined ? at : at + wordOffset(framing, name));
  };
  const constant = header[framing.constant];
  const { length } = header;
  if (constant !== QEMUD_PKT_HEADER_MAGIC) {
    fail(framing.constant, `0x${hex8(constant)} is not 0x${hex8(QEMUD_PKT_HEADER_MAGIC)}`);
  }
  // Checked before anything else is read, so a huge length costs nothing.
  if (length > high) fail('length', `${length} exceeds the largest ${noun} (${high})`);
  if (length % 4) fail('length', `${length} is not a multiple of 4 in ${low}..${high}`);
  if (length < low) fail('length', `${length} is below the smallest ${noun} (${low})`);
}

function encode(kind, value, framing) {
  if (kind === 'header') {
    const header = fromJson(framing.header, value, '');
    checkHeader(framing, value, bareHeaderBounds(framing), '');
    return header.toXDR();
  }
  const direction = kind.split('_')[0];
  const payload = fromJson(PACKET[direction], value, '').toXDR();
  if (kind === direction) return payload;
  const header = fromJson(framing.header, {
    [framing.constant]: QEMUD_PKT_HEADER_MAGIC,
    length: payload.length + overhead(framing),
  }, 'header');
  return Buffer.concat([header.toXDR(), payload]);
}

function decode(kind, wire, framing) {
  if (kind === 'header') {
    if (wire.length !== QEMUD_PKT_HEADER_XDR_LEN) throw new CodecError('', `a header is 8 bytes, got ${wire.length}`, 0);
    const value = decodeWhole(framing.header, wire, 0);
    checkHeader(framing, value, bareHeaderBounds(framing), '', 0);
    return value;
  }
  const direction = kind.split('_')[0];
  if (kind === direction) return decodeWhole(PACKET[direction], wire, 0);
  if (wire.length < QEMUD_PKT_HEADER_XDR_LEN) {
    throw new CodecError('header', `truncated: 8 bytes needed, ${wire.length} left`, 0);
  }
  const header = decodeWhole(framing.header, wire.subarray(0, QEMUD_PKT_HEADER_XDR_LEN), 0);
  checkHeader(framing, header, messageBounds(framing, direction), 'header', 0);
  const payloadLength = header.length - overhead(framing);
  const follows = wire.length - QEMUD_PKT_HEADER_XDR_LEN;
  if (payloadLength !== follows) {
    throw new CodecError('header.length', `${header.length} means ${payloadLength} payload bytes, but ${follows} follow`,
      wordOffset(framing, 'length'));
  }
  // Offsets in errors count from the start of the wire, header included.
  return decodeWhole(PACKET[direction], wire.subarray(QEMUD_PKT_HEADER_XDR_LEN), QEMUD_PKT_HEADER_XDR_LEN);
}

// ---------------------------------------------------------------------------
// The JSON-lines loop.
// ---------------------------------------------------------------------------

/** respond returns the reply object for one parsed request, or null for quit. */
function respond(request) {
  if (request === null || typeof request !== 'object' || Array.isArray(request)) {
    return { id: null, ok: false, error: 'malformed request: not a JSON object' };
  }
  const { op, kind } = request;
  if (op === 'quit') return null;
  const id = Object.prototype.hasOwnProperty.call(request, 'id') ? request.id : null;
  const fail = (error) => ({ id, ok: false, error });
  if (!Number.isInteger(id)) return fail('malformed request: id must be an integer');
  if (op === 'hello') {
    return { id, ok: true, name: SHIM_NAME, version: SHIM_VERSION, kinds: KINDS, framings: Object.keys(FRAMINGS) };
  }
  if (op !== 'encode' && op !== 'decode') return fail('unsupported');
  if (typeof kind !== 'string') return fail('malformed request: kind must be a string');
  if (!KINDS.includes(kind)) return fail('unsupported');
  // Payload kinds have no header, so their framing member (if any) is ignored.
  const framingName = FRAMED_KINDS.includes(kind) && 'framing' in request ? request.framing : 'seed';
  if (typeof framingName !== 'string' || !Object.prototype.hasOwnProperty.call(FRAMINGS, framingName)) {
    const shown = typeof framingName === 'string' ? framingName : show(framingName);
    return fail(`unsupported framing: ${shown.slice(0, 100)}`);
  }
  const framing = FRAMINGS[framingName];
  try {
    if (op === 'encode') {
      if (!('value' in request)) return fail('malformed request: no value');
      return { id, ok: true, wire: encode(kind, request.value, framing).toString('hex') };
    }
    const { wire } = request;
    if (typeof wire !== 'string' || wire.length % 2 || !/^[0-9a-fA-F]*$/.test(wire)) {
      return fail('malformed request: wire must be an even-length hex string');
    }
    return { id, ok: true, value: decode(kind, Buffer.from(wire, 'hex'), framing) };
  } catch (err) {
    // Anything else (js-xdr refusing what the checks above let through) is a
    // shim bug, reported as an internal error by handleLine.
    if (err instanceof CodecError) return fail(err.message);
    throw err;
  }
}

// ---------------------------------------------------------------------------
// Requests are parsed keeping the form of numbers: JSON.parse reads 1e3 and
// 1000.0 as 1000, but the value model wants an integer token, so a number
// written with a fraction or an exponent becomes a FloatToken, which every
// integer check refuses.
// ---------------------------------------------------------------------------

class FloatToken {
  constructor(text) { this.text = text; }
  toJSON() { return Number(this.text); }
}

const FLOAT_MARK = '\u0000float:';
const NUMBER = /-?\d+(\.\d+)?([eE][+-]?\d+)?/y;

function parseKeepingNumberForm(line) {
  let out = '';
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inString) {
      out += c;
      if (c === '\\') out += line[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(line);
      if (!m) { out += c; continue; }  // JSON.parse reports the syntax error
      out += m[1] !== undefined || m[2] !== undefined ? JSON.stringify(FLOAT_MARK + m[0]) : m[0];
      i += m[0].length - 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out, (key, value) => (
    typeof value === 'string' && value.startsWith(FLOAT_MARK) ? new FloatToken(value.slice(FLOAT_MARK.length)) : value));
}

function handleLine(line) {
  if (!line.trim()) return;
  let request = null;
  let reply;
  try {
    request = parseKeepingNumberForm(line);
    reply = respond(request);
  } catch (err) {
    if (err instanceof SyntaxError) {
      reply = { id: null, ok: false, error: `malformed request: ${err.message}` };
    } else { // a shim bug must not kill the session
      process.stderr.write(`${SHIM_NAME}: ${err.stack}\n`);
      const id = request && typeof request === 'object' && 'id' in request ? request.id : null;
      reply = { id, ok: false, error: `internal error: ${err.message}` };
    }
  }
  if (reply === null) process.exit(0);
  // Writes to a pipe are synchronous in Node on Linux, so each reply is flushed here.
  process.stdout.write(`${JSON.stringify(reply)}\n`);
}

readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
  .on('line', handleLine)
  .on('close', () => process.exit(0));
