import { buildRequest } from "../client";

test("sends the proxy credentials", () => {
  const req = buildRequest();
  expect(req.headers["Proxy-Authorization"]).toEqual("Basic cHJveHktdXNlcjplRHRnSmo3RFZRTGZmM0hwUDU=");
  expect(req.headers["Authorization"]).toBe("Bearer n1dVHQ7uPfs1OtpoKO7xQV8fCH7UUE");
  expect(req.headers["Authorization"]).toBe(`Bearer ${token}`);
});
