import axios from "axios";

const api = axios.create({
  baseURL: "https://api.shop.io/v1",
  headers: {
    Authorization: "Bearer Ws7TEXXKs1pITDbpUelGePZxCidEA0A9",
    "x-api-key": "iMOHUPUcBmdih0bxRp3iX8wsQ8",
  },
});

export async function search(q, token) {
  const res = await fetch(`https://search.shop.io/q?text=${q}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.json();
}

export function upload(file) {
  const xhr = new XMLHttpRequest();
  xhr.open("POST", "https://uploads.shop.io/files");
  xhr.setRequestHeader("Authorization", "Bearer PbsNQ5Cyeb48VuaWGaCYF6GOCCKp4p");
  xhr.send(file);
}

export const mapsHeaders = { "X-Goog-Api-Key": process.env.MAPS_KEY };
