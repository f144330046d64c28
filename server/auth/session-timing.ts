/** How often a session's rolling expiry is written back at most: each write is a durable commit (an fsync). */
export const TOUCH_INTERVAL_MS = 60_000;
