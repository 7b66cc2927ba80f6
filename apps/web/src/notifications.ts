// The bell: the unread count, kept live over the notifications WebSocket (the token is
// offered as a subprotocol, never in the URL), reconnecting with a growing pause.
import { api } from "./api/client";
import { session } from "./session";

class Bell extends EventTarget {
  unread = 0;
  private socket: WebSocket | null = null;
  private retryMs = 1000;
  private retry: number | undefined;

  async start(): Promise<void> {
    this.stop();
    if (!session.signedIn) return this.set(0);
    const { data } = await api.GET("/api/v1/notifications/me/unread-count");
    this.set(data?.unread ?? 0);
    const token = await session.accessToken();
    if (!token) return;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/notifications/stream`;
    const socket = new WebSocket(url, ["cmh.bearer", token]);
    this.socket = socket;
    socket.addEventListener("open", () => (this.retryMs = 1000));
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(String(event.data)) as { type?: string };
      if (message.type === "notification") {
        this.set(this.unread + 1);
        this.dispatchEvent(new Event("notification"));
      }
    });
    socket.addEventListener("close", () => {
      if (this.socket !== socket || !session.signedIn) return;
      // Closed by the server (token expired) or the network: connect again, fresh token.
      this.retry = window.setTimeout(() => void this.start(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
    });
  }

  stop(): void {
    window.clearTimeout(this.retry);
    const socket = this.socket;
    this.socket = null;
    socket?.close();
  }

  set(unread: number): void {
    this.unread = Math.max(0, unread);
    this.dispatchEvent(new Event("change"));
  }
}

export const bell = new Bell();
session.addEventListener("change", () => void bell.start());
