package io.scoregate.webhook;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The mails this unit sends, in plain text and HTML, French or English: a portfolio's digest of new
 * alerts, and the notice to an endpoint's owner that it was disabled. A mail is an outbox payload
 * {@code {"to": [...], "subject", "text", "html"}}.
 */
final class Mails {

  private Mails() {}

  static JsonObject disabledNotice(Endpoint endpoint, String reason, Instant now) {
    String why =
        "gone".equals(reason) ? "it answered 410 Gone" : "every delivery to it failed for 5 days";
    String text =
        "Your scoregate webhook endpoint "
            + endpoint.url()
            + " (id "
            + endpoint.id()
            + ") was disabled at "
            + now
            + " because "
            + why
            + ".\nUndelivered messages are kept as dead letters: once the endpoint works again,"
            + " enable it (PATCH /api/v1/webhooks/"
            + endpoint.id()
            + " {\"enabled\": true}) and replay them (POST /api/v1/webhooks/"
            + endpoint.id()
            + "/replay {\"since\": ...}).\n";
    return new JsonObject()
        .put("to", new JsonArray().add(endpoint.ownerEmail()))
        .put("subject", "scoregate: webhook endpoint disabled")
        .put("text", text)
        .put("html", "<p>" + escape(text).replace("\n", "<br>") + "</p>");
  }

  /** One digest mail: the new alerts of a portfolio since the last one. */
  static JsonObject digest(List<String> to, String language, List<JsonObject> items) {
    boolean fr = "fr".equals(language);
    Locale locale = fr ? Locale.FRANCE : Locale.UK;
    String subject =
        fr
            ? "scoregate : " + items.size() + " nouvelle(s) alerte(s) sur votre portefeuille"
            : "scoregate: " + items.size() + " new alert(s) in your portfolio";
    StringBuilder text = new StringBuilder();
    StringBuilder html = new StringBuilder();
    text.append(
        fr ? "Nouvelles alertes de votre portefeuille :\n\n" : "New alerts in your portfolio:\n\n");
    html.append("<p>")
        .append(fr ? "Nouvelles alertes de votre portefeuille :" : "New alerts in your portfolio:")
        .append("</p><table border=\"1\" cellpadding=\"4\" cellspacing=\"0\"><tr><th>")
        .append(fr ? "Entreprise" : "Company")
        .append("</th><th>")
        .append(fr ? "Motif" : "Reason")
        .append("</th><th>")
        .append(fr ? "Avant" : "Before")
        .append("</th><th>")
        .append(fr ? "Après" : "After")
        .append("</th><th>")
        .append(fr ? "Exposition" : "Exposure")
        .append("</th></tr>");
    for (JsonObject item : items) {
      String company =
          item.getString("company_name", "")
              + " ("
              + item.getString("country", "")
              + " "
              + item.getString("national_id", "")
              + ", "
              + item.getString("reference", "")
              + ")";
      String reason = reason(item.getString("rule", ""), fr);
      String before = scoreText(item.getInteger("score_before"), item.getString("level_before"));
      String after = scoreText(item.getInteger("score_after"), item.getString("level_after"));
      String exposure = money(item.getString("exposure"), locale);
      text.append("- ")
          .append(company)
          .append(": ")
          .append(reason)
          .append("; ")
          .append(fr ? "score " : "score ")
          .append(before)
          .append(" -> ")
          .append(after)
          .append("; ")
          .append(fr ? "exposition " : "exposure ")
          .append(exposure)
          .append('\n');
      html.append("<tr><td>")
          .append(escape(company))
          .append("</td><td>")
          .append(escape(reason))
          .append("</td><td>")
          .append(escape(before))
          .append("</td><td>")
          .append(escape(after))
          .append("</td><td>")
          .append(escape(exposure))
          .append("</td></tr>");
    }
    html.append("</table>");
    return new JsonObject()
        .put("to", new JsonArray(List.copyOf(to)))
        .put("subject", subject)
        .put("text", text.toString())
        .put("html", html.toString());
  }

  private static String reason(String rule, boolean fr) {
    return switch (rule) {
      case "score_below" -> fr ? "score sous le seuil" : "score below threshold";
      case "score_drop" -> fr ? "forte baisse du score" : "sharp score drop";
      case "insolvency_proceeding" -> fr ? "procédure collective" : "insolvency proceeding";
      case "payment_incident" -> fr ? "incident de paiement" : "payment incident";
      default -> rule;
    };
  }

  private static String scoreText(Integer score, String level) {
    if (score == null) {
      return "-";
    }
    return level == null ? score.toString() : score + " (" + level + ")";
  }

  private static String money(String amount, Locale locale) {
    if (amount == null) {
      return "-";
    }
    NumberFormat format = NumberFormat.getNumberInstance(locale);
    format.setMaximumFractionDigits(2);
    return format.format(new BigDecimal(amount));
  }

  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
