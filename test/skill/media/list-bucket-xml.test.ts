import { decodeXmlText, parseListBucketResult, s3ErrorCode } from "../../../skill/media/list-bucket-xml";

const page = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${body}</ListBucketResult>`;

describe("parseListBucketResult", () => {
  it("reads keys in order, the truncation flag and the continuation token, entities decoded", () => {
    // prepare
    const xml = page(
      "<Name>media</Name><IsTruncated>true</IsTruncated>" +
        "<Contents><Key>en/tom &amp; jerry.mp3</Key><Size>10</Size></Contents>" +
        "<Contents><Key>de/&#x00DC;ber &lt;3&gt;.mp3</Key></Contents>" +
        "<NextContinuationToken>1ab/c+=&amp;x</NextContinuationToken>",
    );
    // act
    const result = parseListBucketResult(xml);
    // assert
    expect(result).toEqual({
      keys: ["en/tom & jerry.mp3", "de/Über <3>.mp3"],
      truncated: true,
      nextToken: "1ab/c+=&x",
    });
  });

  it("keeps keys that look like numbers as they are, and reads an empty last page", () => {
    expect(parseListBucketResult(page("<Contents><Key>007</Key></Contents><IsTruncated>false</IsTruncated>"))).toEqual({
      keys: ["007"],
      truncated: false,
    });
    expect(parseListBucketResult(page("<KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"))).toEqual({
      keys: [],
      truncated: false,
    });
  });

  it("refuses an answer that is not a listing", () => {
    expect(() => parseListBucketResult("<Error><Code>AccessDenied</Code></Error>")).toThrow(
      "the answer is not a ListBucketResult",
    );
    expect(() => parseListBucketResult("not xml at all")).toThrow("not a ListBucketResult");
  });
});

describe("s3ErrorCode", () => {
  it("reads the code of an S3 error document, or nothing", () => {
    expect(s3ErrorCode('<?xml version="1.0"?><Error><Code>NoSuchBucket</Code><Message>x</Message></Error>')).toBe(
      "NoSuchBucket",
    );
    expect(s3ErrorCode("<html>gateway timeout</html>")).toBeUndefined();
  });
});

describe("decodeXmlText", () => {
  it("decodes named and numeric references and leaves other text alone", () => {
    expect(decodeXmlText("a&quot;b&apos;c&#65;&#x42; &unknown;")).toBe("a\"b'cAB &unknown;");
  });
});
