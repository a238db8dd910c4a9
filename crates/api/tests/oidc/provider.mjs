// A real OpenID Connect provider (the npm package oidc-provider) for dualprev's single sign-on tests: one client,
// `dualprev`, with the redirect URI given in REDIRECT_URI, authorization code with PKCE required. Its login and
// consent pages are replaced by an interaction that signs in SIGN_IN_AS (the person at the keyboard of the test)
// and grants the scopes asked for. Listens on 127.0.0.1 on a free port and prints `issuer http://127.0.0.1:<port>`.
import http from 'node:http';
import Provider from 'oidc-provider';

const redirect = process.env.REDIRECT_URI;
const person = process.env.SIGN_IN_AS;
const server = http.createServer();

server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'dualprev',
      client_secret: 'dualprev-test-client-secret',
      redirect_uris: [redirect],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    pkce: { required: () => true },
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'] },
    findAccount: (ctx, sub) => ({ accountId: sub, claims: () => ({ sub, preferred_username: sub, name: `SSO ${sub}` }) }),
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['dualprev-test-cookie-key-1'] },
  });
  const callback = provider.callback();
  server.on('request', async (req, res) => {
    if (!req.url.startsWith('/interaction/')) return callback(req, res);
    try {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        return await provider.interactionFinished(req, res, { login: { accountId: person } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
      grant.addOIDCScope(details.params.scope);
      const grantId = await grant.save();
      return await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    } catch (e) {
      res.statusCode = 500;
      res.end(String(e && e.stack));
    }
  });
  console.log(`issuer ${issuer}`);
});
