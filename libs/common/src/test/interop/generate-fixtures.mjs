// Regenerate: cd libs/common/src/test/interop && npm ci && npm run generate
// Signs requests with the npm package http-message-signatures (an implementation independent of LGSP) and
// prints them as JSON; HttpSignaturesInteropTest verifies every one with LGSP's verifier (libs/common).
import { createHash } from 'node:crypto';
import { httpbis, createSigner } from 'http-message-signatures';

const secret = 'c2VjcmV0LWtleS1vZi1IVFRULU1PVENVQS1mb3ItaW50ZXJvcA';
const keyid = 'ak-interop-0001';
const created = new Date(Date.UTC(2026, 10, 23, 9, 0, 0));
const digest = (body) => 'sha-256=:' + createHash('sha256').update(body).digest('base64') + ':';

const cases = [
  { name: 'get-with-query', method: 'GET', url: 'https://lgsp.angiang.gov.vn/ho-tich/v1/giay-khai-sinh?so=123&nam=2024',
    headers: { accept: 'application/json' }, fields: ['@method', '@target-uri'] },
  { name: 'post-json-with-digest', method: 'POST', url: 'https://lgsp.angiang.gov.vn/ho-tich/v1/tra-cuu',
    body: '{"hoTen":"Nguyễn Văn An","namSinh":1990}', headers: { 'content-type': 'application/json' },
    fields: ['@method', '@target-uri', 'content-digest', 'content-type'] },
  { name: 'put-authority-path-query', method: 'PUT', url: 'https://lgsp.angiang.gov.vn:8443/dat-dai/v2/thua-dat/42?phien-ban=3',
    body: '<thuaDat so="42"/>', headers: { 'content-type': 'application/xml' },
    fields: ['@method', '@authority', '@path', '@query', 'content-digest'] },
];

const out = [];
for (const c of cases) {
  const headers = { ...c.headers };
  if (c.body !== undefined) {
    headers['content-digest'] = digest(Buffer.from(c.body, 'utf8'));
    headers['content-length'] = String(Buffer.byteLength(c.body, 'utf8'));
  }
  const signed = await httpbis.signMessage({
    key: createSigner(Buffer.from(secret, 'utf8'), 'hmac-sha256', keyid),
    fields: c.fields,
    params: ['created', 'keyid', 'nonce', 'alg'],
    paramValues: { created, nonce: 'nonce-' + c.name },
  }, { method: c.method, url: c.url, headers });
  out.push({ name: c.name, method: c.method, url: c.url, body: c.body ?? null, headers: signed.headers });
}
console.log(JSON.stringify({ generator: 'http-message-signatures@1.0.6', secret, keyid,
  created: created.getTime() / 1000, requests: out }, null, 2));
