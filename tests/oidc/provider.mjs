// A real OpenID Connect provider for the browser tests: panva's certified
// `oidc-provider` (frontend/package.json) on the loopback interface, with the clients
// and people of the JSON file named as the first argument:
//   {"port": 9000, "clients": [{"client_id", "client_secret", "redirect_uris"}],
//    "users": [{"email", "password", "name", "amr": ["pwd", "mfa"], "email_verified"}]}
// Its own sign-in page asks e-mail and password; the ID token then carries the
// person's `amr`. Consent is implied (the organisation's own application).
import { readFileSync } from "node:fs";
import http from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const library = resolve(here, "../../frontend/node_modules/oidc-provider/lib/index.js");
const { default: Provider } = await import(pathToFileURL(library).href);

const config = JSON.parse(readFileSync(process.argv[2], "utf8"));
const issuer = `http://127.0.0.1:${config.port}`;
const users = new Map(config.users.map((user) => [user.email, user]));

const provider = new Provider(issuer, {
  clients: config.clients.map((client) => ({
    grant_types: ["authorization_code"],
    response_types: ["code"],
    token_endpoint_auth_method: "client_secret_post",
    ...client,
  })),
  cookies: { keys: ["loopback-test-provider-only"] },
  // acr and amr with the openid scope: every ID token says how the person signed in.
  claims: { openid: ["sub", "acr", "amr", "auth_time"], email: ["email", "email_verified"], profile: ["name"] },
  scopes: ["openid", "email", "profile"],
  features: { devInteractions: { enabled: false } },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const user = users.get(id);
    if (!user) return undefined;
    return {
      accountId: id,
      async claims() {
        return {
          sub: id,
          email: user.email,
          email_verified: user.email_verified ?? true,
          name: user.name ?? user.email,
        };
      },
    };
  },
  async loadExistingGrant(ctx) {
    const { client, session } = ctx.oidc;
    const grant = new ctx.oidc.provider.Grant({
      clientId: client.clientId,
      accountId: session.accountId,
    });
    grant.addOIDCScope("openid email profile");
    await grant.save();
    return grant;
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
});

function escape(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(uid, problem = "") {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><main><h1>Test identity provider</h1>${problem ? `<p role="alert">${escape(problem)}</p>` : ""}
<form method="post" action="/interaction/${escape(uid)}/login">
<label for="email">Email</label> <input id="email" name="email" type="email">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in at the provider</button></form></main></body></html>`;
}

async function body(request) {
  let text = "";
  for await (const chunk of request) text += chunk;
  return new URLSearchParams(text);
}

async function interaction(request, response) {
  const details = await provider.interactionDetails(request, response);
  if (request.method === "GET") {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return response.end(page(details.uid));
  }
  const form = await body(request);
  const user = users.get(form.get("email"));
  if (!user || user.password !== form.get("password")) {
    response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    return response.end(page(details.uid, "Unknown email or wrong password"));
  }
  const login = { accountId: user.email, amr: user.amr ?? ["pwd"] };
  if (user.acr) login.acr = user.acr;
  return provider.interactionFinished(request, response, { login }, { mergeWithLastSubmission: false });
}

const handle = provider.callback();
const server = http.createServer((request, response) => {
  if (request.url.startsWith("/interaction/")) {
    interaction(request, response).catch((error) => {
      response.writeHead(500);
      response.end(String(error));
    });
  } else {
    handle(request, response);
  }
});
server.listen(config.port, "127.0.0.1", () => console.log(`listening ${issuer}`));
