package io.stepwise.infra;

import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Where the review function tells reviewers that a task waits for them: an SNS topic (output {@code
 * ReviewTopicArn}; subscribe e-mail, chat or a queue to it), to which only the review function may
 * publish. The function learns the topic and the dashboard's address (the link in each message)
 * from its environment.
 */
final class ReviewNotifications extends Construct {

  static final String TOPIC_VARIABLE = "STEPWISE_REVIEWS_TOPIC_ARN";
  static final String DASHBOARD_VARIABLE = "STEPWISE_REVIEWS_DASHBOARD_URL";

  private final Topic topic;

  ReviewNotifications(Construct scope, StepwiseFunction review, String dashboardUrl) {
    super(scope, "ReviewNotifications");
    this.topic =
        Topic.Builder.create(this, "Topic")
            .displayName("Stepwise reviews")
            .enforceSsl(true)
            .build();
    topic.grantPublish(review.function());
    review.function().addEnvironment(TOPIC_VARIABLE, topic.getTopicArn());
    if (dashboardUrl != null) {
      review.function().addEnvironment(DASHBOARD_VARIABLE, dashboardUrl);
    }
  }

  Topic topic() {
    return topic;
  }
}
