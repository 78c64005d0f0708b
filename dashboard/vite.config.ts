import { defineConfig } from 'vite';
import { ENVOY_PREFIX, envoyRoute } from './envoy-admin.mjs';

// `npm run dev` serves the page with hot reload and proxies the APIs to the local stack the same
// way server.mjs does (without the bearer token). `npm run build` writes dist/.
const ext = process.env.SEMLB_EXT_ADMIN_URL ?? 'http://127.0.0.1:9090';
const xds = process.env.SEMLB_XDS_ADMIN_URL ?? 'http://127.0.0.1:9091';
const envoy = process.env.SEMLB_ENVOY_ADMIN_URL ?? 'http://127.0.0.1:9901';

export default defineConfig({
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 400 },
  server: {
    port: 3000,
    proxy: {
      '/api/ext': { target: ext, rewrite: (p) => p.slice('/api/ext'.length) },
      '/api/xds': { target: xds, rewrite: (p) => p.slice('/api/xds'.length) },
      // Read-only, as in server.mjs: only GET /api/envoy/stats reaches Envoy (as /stats?format=json).
      [ENVOY_PREFIX]: {
        target: envoy,
        bypass: (req, res) => {
          const route = envoyRoute(req.method, req.url ?? '');
          if ('target' in route) return undefined; // proxied, with the path rewritten below
          if (!res) return false; // a WebSocket upgrade: Vite answers 404
          res.writeHead(route.status, {
            'Content-Type': 'application/json',
            ...(route.allow && { Allow: route.allow }),
          });
          res.end(JSON.stringify({ error: route.error }));
          return req.url; // a string with the answer already sent: Vite stops here
        },
        rewrite: (p) => {
          const route = envoyRoute('GET', p);
          return 'target' in route ? route.target : '/ready'; // never reached with a refused path
        },
      },
    },
  },
});
