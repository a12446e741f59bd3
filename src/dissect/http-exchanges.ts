// The HTTP state a capture keeps from its first pass: for each conversation, its requests in
// order and the response that answered each (RFC 9112 §9.3.2: responses come in request
// order), so that a re-dissection can link them (http.response_in, http.request_in, http.time,
// http.response_for.uri) as tshark does.

import { growColumn } from '../lib/growable.ts';
import { StringTable } from '../lib/string-table.ts';

/**
 * Every request of the capture, one typed-array column per field (exchange i is the i-th
 * request seen); the requests of one conversation are chained by `next`. As objects (~130 bytes
 * each with their list and boxed numbers) the 75k requests of a 500k-packet capture held 10 MB
 * of the heap for as long as the capture was open, each copied by the scavenges that promoted it.
 */
export class ExchangeTable {
  count = 0;
  /** The request's frame and its message index in that frame. */
  frame = new Uint32Array(0);
  index = new Uint8Array(0);
  /** The response's frame (0 until answered) and its message index. */
  responseFrame = new Uint32Array(0);
  responseIndex = new Uint8Array(0);
  /** The request's time (seconds, nanoseconds) and, once answered, the time to the response. */
  sec = new Float64Array(0);
  nsec = new Uint32Array(0);
  timeNs = new Float64Array(0);
  /** The next request of the same conversation, -1 for its latest. */
  next = new Int32Array(0);
  /** The request target, Host header (+1; 0: none) and method, as indices in `texts`. */
  targetId = new Uint32Array(0);
  hostId = new Uint32Array(0);
  methodId = new Uint32Array(0);
  /** Each distinct text once (most requests of a capture share their host, method and often target). */
  private readonly texts = new StringTable();

  target(i: number): string {
    return this.texts.get(this.targetId[i]!);
  }
  host(i: number): string | undefined {
    const id = this.hostId[i]!;
    return id === 0 ? undefined : this.texts.get(id - 1);
  }
  method(i: number): string {
    return this.texts.get(this.methodId[i]!);
  }

  add(frame: number, index: number, sec: number, nsec: number, target: string, host: string | undefined, method: string): number {
    const i = this.count++;
    if (i >= this.frame.length) {
      const n = i + 1;
      this.frame = growColumn(this.frame, n);
      this.index = growColumn(this.index, n);
      this.responseFrame = growColumn(this.responseFrame, n);
      this.responseIndex = growColumn(this.responseIndex, n);
      this.sec = growColumn(this.sec, n);
      this.nsec = growColumn(this.nsec, n);
      this.timeNs = growColumn(this.timeNs, n);
      this.next = growColumn(this.next, n);
      this.targetId = growColumn(this.targetId, n);
      this.hostId = growColumn(this.hostId, n);
      this.methodId = growColumn(this.methodId, n);
    }
    this.frame[i] = frame;
    this.index[i] = Math.min(index, 255);
    this.sec[i] = sec;
    this.nsec[i] = nsec;
    this.next[i] = -1;
    this.targetId[i] = this.texts.intern(target);
    this.hostId[i] = host === undefined ? 0 : this.texts.intern(host) + 1;
    this.methodId[i] = this.texts.intern(method);
    return i;
  }

  /** Records the response (frame `frame`, message `index`, time sec/nsec) to request `i`. */
  answer(i: number, frame: number, index: number, sec: number, nsec: number): void {
    this.responseFrame[i] = frame;
    this.responseIndex[i] = Math.min(index, 255);
    // Seconds and nanoseconds apart: epoch nanoseconds exceed a double's exact range.
    this.timeNs[i] = (sec - this.sec[i]!) * 1e9 + (nsec - this.nsec[i]!);
  }
}

/** One conversation's HTTP state. */
export class HttpConv {
  /** Frame of the first request or response seen; 0 = none yet (other data is then not HTTP). */
  firstMsgFrame = 0;
  /** Method of the latest request (a response to HEAD has no body, RFC 9110 §9.3.2). */
  lastMethod = '';
  /** First and latest request of the conversation in the ExchangeTable (-1: none). */
  private first = -1;
  private last = -1;
  /** The oldest request not answered yet (-1: none waiting). */
  private waiting = -1;

  addRequest(t: ExchangeTable, i: number): void {
    if (this.last >= 0) t.next[this.last] = i;
    else this.first = i;
    this.last = i;
    if (this.waiting < 0) this.waiting = i;
  }

  /**
   * Records a final response (frame, message index, time): it answers the oldest request still
   * waiting. One with no request waiting (the capture began after the request) still counts as
   * an exchange of its own, as tshark counts it ("HTTP response 1/1"), with request frame 0.
   */
  respond(t: ExchangeTable, frame: number, index: number, sec: number, nsec: number): void {
    let i = this.answerNext(t);
    if (i < 0) {
      i = t.add(0, 0, sec, nsec, '', undefined, '');
      if (this.last >= 0) t.next[this.last] = i;
      else this.first = i;
      this.last = i;
    }
    t.answer(i, frame, index, sec, nsec);
  }

  /** The oldest request not answered yet, now answered; -1 when none waits. */
  answerNext(t: ExchangeTable): number {
    const i = this.waiting;
    if (i >= 0) this.waiting = t.next[i]!;
    return i;
  }

  /** The method of the latest request completed before frame `num` (what a re-dissection needs). */
  methodBefore(t: ExchangeTable, num: number): string {
    let method = '';
    for (let i = this.first; i >= 0 && t.frame[i]! < num; i = t.next[i]!) if (t.frame[i]) method = t.method(i);
    return method;
  }

  /**
   * Where exchange `i` stands in its conversation, as tshark numbers request/response pairs
   * ("HTTP request 2/3"): its number from 1, how many the conversation has, and its neighbours.
   */
  position(t: ExchangeTable, i: number): { number: number; total: number; prev: number; next: number } {
    let number = 0;
    let total = 0;
    let prev = -1;
    for (let j = this.first; j >= 0; j = t.next[j]!) {
      total++;
      if (j === i) number = total;
      else if (number === 0) prev = j;
    }
    return { number, total, prev, next: t.next[i]! };
  }

  /** The request whose request or response is message `index` of frame `frame`; -1 when none. */
  exchangeOf(t: ExchangeTable, frame: number, index: number): number {
    const idx = Math.min(index, 255);
    for (let i = this.first; i >= 0; i = t.next[i]!) {
      if ((t.frame[i] === frame && t.index[i] === idx) || (t.responseFrame[i] === frame && t.responseIndex[i] === idx)) return i;
    }
    return -1;
  }
}
