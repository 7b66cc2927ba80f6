// A video for a lesson: registered with the content service, which answers a presigned URL;
// the file goes there with XMLHttpRequest (fetch reports no upload progress); the upload is
// confirmed, and content then transcodes it in the background (its status is polled).
import { api, describe, type Schemas } from "./api/client";

export type Asset = Schemas["AssetResponse"];
// Content's asset statuses that will still change.
export const PROCESSING = new Set(["created", "uploaded", "processing"]);

export async function uploadVideo(file: File, progress: (percent: number) => void): Promise<Asset> {
  const { data: registered, error } = await api.POST("/api/v1/content/assets", {
    body: { filename: file.name, content_type: file.type || "video/mp4", size_bytes: file.size, kind: "video" },
  });
  if (!registered) throw new Error(describe(error));
  const { upload } = registered;
  await new Promise<void>((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    Object.entries(upload.headers).forEach(([name, value]) => request.setRequestHeader(name, value));
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) progress(Math.round((event.loaded / event.total) * 100));
    });
    request.addEventListener("load", () =>
      request.status < 300 ? resolve() : reject(new Error(`The upload was refused (${request.status}).`)),
    );
    request.addEventListener("error", () => reject(new Error("The upload failed: check the connection.")));
    request.send(file);
  });
  progress(100);
  const asset_id = registered.asset.id;
  const { error: refused, response } = await api.POST("/api/v1/content/assets/{asset_id}/uploaded", {
    params: { path: { asset_id } },
  });
  if (!response.ok) throw new Error(describe(refused));
  return registered.asset;
}

export async function assetStatus(asset_id: string): Promise<Asset | undefined> {
  const { data } = await api.GET("/api/v1/content/assets/{asset_id}", { params: { path: { asset_id } } });
  return data;
}
