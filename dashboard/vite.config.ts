import { defineConfig } from 'vite';

// `npm run dev` serves the page with hot reload and proxies the APIs to the local stack the same
// way server.mjs does (without the bearer token). `npm run build` writes dist/.
const ext = process.env.SEMLB_EXT_ADMIN_URL ?? 'http://127.0.0.1:9090';
const xds = process.env.SEMLB_XDS_ADMIN_URL ?? 'http://127.0.0.1:9091';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: {
    port: 3000,
    proxy: {
      '/api/ext': { target: ext, rewrite: (p) => p.slice('/api/ext'.length) },
      '/api/xds': { target: xds, rewrite: (p) => p.slice('/api/xds'.length) },
    },
  },
});
