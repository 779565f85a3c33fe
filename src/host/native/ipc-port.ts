/**
 * The host side of a child-process host's IPC channel, as the host loop's message port. The
 * process ends when its parent goes away, however the parent ended.
 */
import type { HostMessage } from "../host-protocol.ts";
import type { HostPort } from "../worker/host-worker.ts";

/** This process's IPC channel to its parent as a {@link HostPort}; exits (code 2) without one. */
export function ipcHostPort(): HostPort {
  const send = process.send?.bind(process);
  if (send === undefined) {
    console.error("a model host process runs as a child of model-cache, with an IPC channel");
    process.exit(2);
  }
  const port: HostPort = {
    onmessage: null,
    postMessage: (message: HostMessage) => void send(message),
    // An uncaught error or rejection ends the process, as it would without listeners, after the
    // host loop's last word has gone out.
    addEventListener: (type, listener) => {
      const fatal = (reason: unknown) => {
        const message = reason instanceof Error ? reason.message : String(reason);
        listener(type === "error" ? ({ message } as ErrorEvent) : ({ reason } as PromiseRejectionEvent));
        setTimeout(() => process.exit(1), 50);
      };
      process.on(type === "error" ? "uncaughtException" : "unhandledRejection", fatal);
    },
  };
  process.on("message", (data: unknown) => port.onmessage?.({ data }));
  process.on("disconnect", () => process.exit(0));
  // A parent killed outright may leave the channel open a moment: being re-parented says it is gone.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 1000).unref();
  return port;
}
