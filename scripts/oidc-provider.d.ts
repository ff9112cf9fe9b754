// oidc-provider ships no type declarations; scripts/dev-oidc.ts types the part it uses.
declare module 'oidc-provider';
