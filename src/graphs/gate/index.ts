/** The concurrency gate and its slot stores. */
export { ConcurrencyGate, holdingSlot, type ConcurrencyGateOptions } from "./concurrencyGate.js";
export { MemorySlotStore } from "./memorySlotStore.js";
export type { PoolCounts, SlotDeadline, SlotKey, SlotStore } from "./slotStore.js";
