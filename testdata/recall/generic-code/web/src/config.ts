export interface DbOptions {
  host: string;
  password: string;
  apiKey?: string;
}

export const local: DbOptions = {
  host: "localhost",
  password: 'fA75UyiCDmO4',
  apiKey: "6ayJKP4GY08vDuPngU30ZP7T",
};

export const prod: DbOptions = {
  host: process.env.DB_HOST ?? "db",
  password: process.env.DB_PASSWORD!,
  apiKey: process.env.API_KEY,
};

export function connect({ host = "localhost", password = "hnp5yftIY7uq6T" } = {}) {
  return { host, password };
}

export const sessionSecret = process.env.SESSION_SECRET || "2bwGfcCvJAXrF6bnZ3eB";

// apiKey = "ZclIvRY6iEjH5UH1RSC84FL8"

export const labels = {
  password: "Password",
  forgotPassword: "Forgot your password?",
  passwordPlaceholder: "Enter your password",
};

export const integrity = "sha512-SfWoCHJs1UJOkHG16JqtQy9235Nnt2j9IHrKFmAI";
