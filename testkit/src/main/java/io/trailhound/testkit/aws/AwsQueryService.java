package io.trailhound.testkit.aws;

/**
 * The AWS services our code calls over the Query protocol (form-encoded {@code Action=...} POSTs, XML answers), each with
 * the API version the SDK sends, its XML namespace and the response and error envelopes the real service uses.
 */
public enum AwsQueryService {

    /** EC2: {@code <requestId>} inside the response element, errors as {@code <Response><Errors>}. */
    EC2("2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/", true),
    /** IAM: results wrapped in {@code <XResult>}, request id in {@code <ResponseMetadata>}, errors as {@code <ErrorResponse>}. */
    IAM("2010-05-08", "https://iam.amazonaws.com/doc/2010-05-08/", false),
    /** STS: same envelope style as IAM, its own namespace and version. */
    STS("2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/", false);

    private final String version;
    private final String xmlns;
    private final boolean ec2Style;

    AwsQueryService(String version, String xmlns, boolean ec2Style) {
        this.version = version;
        this.xmlns = xmlns;
        this.ec2Style = ec2Style;
    }

    /** The {@code Version} form parameter the SDK sends with every call to this service. */
    public String version() {
        return version;
    }

    /** The XML namespace of this service's responses. */
    public String xmlns() {
        return xmlns;
    }

    /**
     * The body of a successful response to {@code action}.
     *
     * @param resultXml the elements inside the result (EC2: inside the response element); empty for operations without output
     */
    public String successBody(String action, String resultXml, String requestId) {
        String element = action + "Response";
        if (ec2Style) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + element + " xmlns=\"" + xmlns + "\">"
                + "<requestId>" + requestId + "</requestId>" + resultXml + "</" + element + ">";
        }
        String result = resultXml.isBlank() ? "" : "<" + action + "Result>" + resultXml + "</" + action + "Result>";
        return "<" + element + " xmlns=\"" + xmlns + "\">" + result
            + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></" + element + ">";
    }

    /** The body of an error response, as this service writes it; 5xx errors are the {@code Receiver}'s fault. */
    public String errorBody(int httpStatus, String code, String message, String requestId) {
        if (ec2Style) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + escape(code) + "</Code>"
                + "<Message>" + escape(message) + "</Message></Error></Errors>"
                + "<RequestID>" + requestId + "</RequestID></Response>";
        }
        String type = httpStatus >= 500 ? "Receiver" : "Sender";
        return "<ErrorResponse xmlns=\"" + xmlns + "\"><Error><Type>" + type + "</Type><Code>" + escape(code) + "</Code>"
            + "<Message>" + escape(message) + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\"", "&quot;").replace("'", "&apos;");
    }
}
