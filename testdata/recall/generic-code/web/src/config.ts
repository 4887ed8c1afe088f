export interface DbOptions {
  host: string;
  password: string;
  apiKey?: string;
}

export const local: DbOptions = {
  host: "localhost",
  password: 't2j9IHrKFmAI',
  apiKey: "hGaMybIcH6zIZKhFfSke7IDA",
};

export const prod: DbOptions = {
  host: process.env.DB_HOST ?? "db",
  password: process.env.DB_PASSWORD!,
  apiKey: process.env.API_KEY,
};

export function connect({ host = "localhost", password = "69Z7zrpEFivB50" } = {}) {
  return { host, password };
}

export const sessionSecret = process.env.SESSION_SECRET || "756EHugmANb7qiSXbcmj";

// apiKey = "oaRsuUwpNFgFULh2GNqTmSH4"

export const labels = {
  password: "Password",
  forgotPassword: "Forgot your password?",
  passwordPlaceholder: "Enter your password",
};

export const integrity = "sha512-BbyOA0HNkIn3OIOnHn2INL2io6VOZw5luMu57mnX";
