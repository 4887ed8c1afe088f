export interface DbOptions {
  host: string;
  password: string;
  apiKey?: string;
}

export const local: DbOptions = {
  host: "localhost",
  password: 'lorXwIS8HGNW',
  apiKey: "kz2YS5ofA75UyiCDmO46ayJK",
};

export const prod: DbOptions = {
  host: process.env.DB_HOST ?? "db",
  password: process.env.DB_PASSWORD!,
  apiKey: process.env.API_KEY,
};

export function connect({ host = "localhost", password = "P4GY08vDuPngU3" } = {}) {
  return { host, password };
}

export const sessionSecret = process.env.SESSION_SECRET || "0ZP7Thnp5yftIY7uq6T2";

// apiKey = "bwGfcCvJAXrF6bnZ3eBZclIv"

export const labels = {
  password: "Password",
  forgotPassword: "Forgot your password?",
  passwordPlaceholder: "Enter your password",
};

export const integrity = "sha512-RY6iEjH5UH1RSC84FL8SfWoCHJs1UJOkHG16JqtQ";
