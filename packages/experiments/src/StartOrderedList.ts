/** A reserved place in a {@link StartOrderedList}. */
export interface Slot<T> {
  value?: T;
  state: "pending" | "filled" | "cancelled";
}

/**
 * A list whose items are ordered by when their work *started*, not when it
 * finished: `reserve()` a slot before awaiting, then `fill()` or `cancel()` it.
 * Lets `logTest` / `log` run concurrently under `Promise.all` and still keep
 * the order the calls were made in, without shared temporary state.
 *
 * @example
 * const list = new StartOrderedList<string>();
 * const a = list.reserve(), b = list.reserve();
 * list.fill(b, "second"); list.fill(a, "first");
 * list.values(); // ["first", "second"]
 */
export class StartOrderedList<T> {
  private slots: Array<Slot<T>> = [];

  constructor(initial: Iterable<T> = []) {
    for (const v of initial) this.slots.push({ value: v, state: "filled" });
  }

  /** Reserve the next position. */
  reserve(): Slot<T> {
    const slot: Slot<T> = { state: "pending" };
    this.slots.push(slot);
    return slot;
  }

  /** Put the finished item in its reserved position. */
  fill(slot: Slot<T>, value: T): void {
    slot.value = value;
    slot.state = "filled";
  }

  /** Give the position up (the work failed). */
  cancel(slot: Slot<T>): void {
    slot.state = "cancelled";
    this.slots = this.slots.filter((s) => s !== slot);
  }

  /** Append a finished item at the end. */
  push(value: T): void {
    this.slots.push({ value, state: "filled" });
  }

  /** Finished items, in start order. */
  values(): T[] {
    const out: T[] = [];
    for (const s of this.slots) if (s.state === "filled") out.push(s.value as T);
    return out;
  }

  /** Replace every item (pending reservations are kept at the end). */
  reset(values: Iterable<T>): void {
    const pending = this.slots.filter((s) => s.state === "pending");
    this.slots = [...[...values].map((v): Slot<T> => ({ value: v, state: "filled" })), ...pending];
  }
}
