import { importJWK, SignJWT } from 'jose';

// signing key for internal service tokens
const privateJwk = {"crv": "Ed25519", "d": "Sn6VYiKHdJhiqPj402brmxIikcMgTyd7PBkvw229AhQ", "x": "JScuX0IKWQHuZ62ZxzwFNMryFeBXkH8NzecsH5vm0Iw", "kty": "OKP"};
const publicJwk = {"crv": "Ed25519", "x": "JScuX0IKWQHuZ62ZxzwFNMryFeBXkH8NzecsH5vm0Iw", "kty": "OKP"};

export async function sign(claims) {
  const key = await importJWK(privateJwk, 'EdDSA');
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA' }).sign(key);
}
