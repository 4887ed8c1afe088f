import { z } from "zod";
import axios from "axios";

export interface LoginRequest {
  email: string;
  password: string;
  rememberMe?: boolean;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
}

export const passwordRegex = /^(?=.*[A-Z])(?=.*\d)(?=.*[^A-Za-z0-9]).{12,}$/;

export const loginSchema = z.object({
  email: z.string().email(),
  password: z.string().min(12, "Password must be at least 12 characters"),
});

const api = axios.create({
  baseURL: process.env.NEXT_PUBLIC_API_URL ?? "http://localhost:8080",
  headers: { "X-Api-Key": process.env.NEXT_PUBLIC_API_KEY ?? "" },
});

const config = {
  apiKey: process.env.API_KEY!,
  authDomain: "accounts.acme-corp.io",
  clientSecret: process.env.OAUTH_CLIENT_SECRET,
  tokenUrl: "https://auth.acme-corp.io/oauth/token",
};

export async function login(req: LoginRequest): Promise<Session> {
  const { data } = await api.post<Session>("/v1/session", {
    email: req.email,
    password: req.password,
  });
  return data;
}

export function authHeaders(session: Session) {
  return { Authorization: `Bearer ${session.accessToken}` };
}

export function tokenFromHeader(header?: string): string | undefined {
  const token = header?.split(" ")[1];
  return token;
}

export function isStrong(password: string, confirmPassword: string): boolean {
  if (password !== confirmPassword) return false;
  return passwordRegex.test(password);
}

export default config;
