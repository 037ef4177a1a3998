# Every person gets each statement's average answer in train: no use of what this person
# said elsewhere in the questionnaire.
average = train.groupby('item')['answer'].mean()

submission = pd.DataFrame({'id': test['id']})
submission['answer'] = test['item'].map(average).fillna(train['answer'].mean()).to_numpy()
