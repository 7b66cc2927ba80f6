import { defineConfig } from "vite";

// Same origin as the API in both profiles; `npm run dev` proxies to `make run`.
export default defineConfig({
  build: { target: "es2022", sourcemap: false },
  server: {
    proxy: {
      "/api": { target: "http://127.0.0.1:8000", ws: true },
      "/local-idp": "http://127.0.0.1:8000",
      "/media": "http://127.0.0.1:8000",
    },
  },
});
