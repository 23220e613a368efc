import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect } from "@playwright/test";

/** Debian's nginx (installed by scripts/ensure-chromium.ts and .ci/run when missing). */
export const NGINX = process.env.NGINX_PATH || "/usr/sbin/nginx";

/**
 * The address nginx connects to the app from (`proxy_bind`). Not the client's (127.0.0.1): an app
 * that took the connection's address, instead of the proxy's X-Forwarded-For, would show it.
 */
export const PROXY_SOURCE_ADDRESS = "127.0.0.3";

/**
 * nginx in front of the app as docs/deployment.md configures it, on 127.0.0.1:`port` with a
 * self-signed certificate for `localhost` made with openssl, run as this user (as root, its
 * workers run as nobody) with its pid file, logs and temporary files in a folder of its own.
 * Differences from the deployment file: a high port, `Host` as the client sent it (`$http_host`
 * keeps the port, which `$host` drops), and the `proxy_bind` above.
 */
export async function startNginx(options: { name: string; port: number; upstreamPort: number }) {
  const dir = path.resolve(`tests/.tmp/nginx-${options.name}-${options.port}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755);
  execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`], { stdio: "ignore" });
  const asRoot = process.getuid?.() === 0;
  const conf = `
${asRoot ? "user nobody nogroup;" : ""}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream academy { server 127.0.0.1:${options.upstreamPort}; keepalive 8; }
  server {
    listen 127.0.0.1:${options.port} ssl;
    server_name localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    client_max_body_size 12m;
    location / {
      proxy_pass http://academy;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Request-Id $request_id;
      proxy_bind ${PROXY_SOURCE_ADDRESS};
    }
  }
}
`;
  fs.writeFileSync(`${dir}/nginx.conf`, conf);
  const child = spawn(NGINX, ["-p", dir, "-c", `${dir}/nginx.conf`, "-e", `${dir}/error.log`, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const accepting = () =>
    new Promise<boolean>((resolve) => {
      const socket = net.connect(options.port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
  await expect.poll(async () => (child.exitCode === null ? await accepting() : `nginx exited: ${output}`), { timeout: 30_000 }).toBe(true);
  return {
    baseUrl: `https://localhost:${options.port}`,
    errorLog: () => fs.readFileSync(`${dir}/error.log`, "utf8"),
    async stop() {
      // SIGQUIT: nginx's graceful stop.
      if (child.exitCode === null) child.kill("SIGQUIT");
      await exited;
    },
  };
}
