import { presignQuery, signedHeaders, uriEncode } from "../../../skill/media/sigv4";

// The example credentials and requests of the Amazon S3 API reference ("Signature Calculations for the
// Authorization Header" and "Authenticating Requests: Using Query Parameters"), with the signatures it publishes.
const credentials = {
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
};
const time = Date.UTC(2013, 4, 24, 0, 0, 0);
const host = "examplebucket.s3.amazonaws.com";

describe("SigV4", () => {
  it("presigns a GET exactly as the S3 documentation's example", () => {
    const query = presignQuery(
      { method: "GET", host, path: "/test.txt", region: "us-east-1", service: "s3", time },
      credentials,
      86_400,
    );

    expect(query).toBe(
      "X-Amz-Algorithm=AWS4-HMAC-SHA256" +
        "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request" +
        "&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host" +
        "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
    );
  });

  it("signs a bucket listing's headers exactly as the S3 documentation's example", () => {
    const headers = signedHeaders(
      {
        method: "GET",
        host,
        path: "/",
        query: { "max-keys": "2", prefix: "J" },
        region: "us-east-1",
        service: "s3",
        time,
      },
      credentials,
    );

    expect(headers).toEqual({
      host,
      "x-amz-content-sha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "x-amz-date": "20130524T000000Z",
      authorization:
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, " +
        "SignedHeaders=host;x-amz-content-sha256;x-amz-date, " +
        "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7",
    });
  });

  it("signs the session token of temporary credentials into both forms", () => {
    const temporary = { ...credentials, sessionToken: "token/with+chars=" };
    const request = { method: "GET", host, path: "/test.txt", region: "us-east-1", service: "s3", time };

    const query = new URLSearchParams(presignQuery(request, temporary, 60));
    const headers = signedHeaders(request, temporary);

    expect(query.get("X-Amz-Security-Token")).toBe("token/with+chars=");
    expect(headers["x-amz-security-token"]).toBe("token/with+chars=");
    expect(headers.authorization).toContain("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,");
    // The token is signed: without it the signature differs.
    expect(query.get("X-Amz-Signature")).not.toBe(
      new URLSearchParams(presignQuery(request, credentials, 60)).get("X-Amz-Signature"),
    );
  });

  it("encodes as RFC 3986 wants, including the characters encodeURIComponent leaves", () => {
    expect(uriEncode("a b/c!'()*~é")).toBe("a%20b%2Fc%21%27%28%29%2A~%C3%A9");
  });
});
