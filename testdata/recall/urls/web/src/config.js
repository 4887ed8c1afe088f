export const config = {
  api: "https://api.shop.io/v1",
  tiles: "https://tiles.maps.io/{z}/{x}/{y}.png?access_token=DgCaulXZhhIzBIsExu5MRBchlq2i3sSP",
  analytics: "https://collect.metrics.io/v1/ingest?api_key=DrjWuOtTr7loYuVJo9cX7RbyxkPt&source=web",
  login: "https://auth.shop.io/oauth/token?grant_type=client_credentials&client_id=web&client_secret=lXsj8dn3puAJKBPtvaXcq4GAW6suAM",
  cdn: `https://${process.env.CDN_HOST}/assets`,
  socket: `wss://${user}:${password}@realtime.shop.io/socket`,
  emptyToken: "https://api.shop.io/v1/me?access_token=",
  page: "https://api.shop.io/v1/items?page_token=XqPbUMI2yE9XtBm6nSqusBdN&limit=50",
};

export const proxy = "socks5://tunnel:4tzQLf1EE8WlSw@10.8.0.1:1080";
